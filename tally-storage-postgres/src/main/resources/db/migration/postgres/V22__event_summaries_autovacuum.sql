-- event_summaries is updated in place by every stored event, so most of its pages stop being
-- all-visible until a vacuum: segment searches (index-only scans of event_summaries_by_name, joined
-- per name) then fetch the heap row by row, and right after a bulk load the planner, with no
-- statistics yet, turns the merge join into nested loops or sequential scans. Vacuum and analyze
-- it after 2% of its rows changed instead of the default 20% (10% for analyze).
ALTER TABLE event_summaries SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02
);
