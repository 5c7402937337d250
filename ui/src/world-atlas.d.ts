// world-atlas ships TopoJSON (Natural Earth, public domain; package ISC). Declared
// here so TypeScript does not infer a type from the 100 KB file.
declare module "world-atlas/countries-110m.json" {
  import type { Topology, GeometryCollection } from "topojson-specification";
  const topology: Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
  export default topology;
}
