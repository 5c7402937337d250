pub mod procstat;
