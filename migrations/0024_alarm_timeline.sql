-- An alarm's timeline (the alarm detail's history) reads its own event-log
-- steps and the alarms of the same condition on either side of it; without
-- these, each opened alarm would scan the whole log and alarm table.
CREATE INDEX event_log_entity_idx ON event_log (entity, entity_id, at);
CREATE INDEX alarms_condition_idx ON alarms (managed_object, specific_problem, raised_at);
