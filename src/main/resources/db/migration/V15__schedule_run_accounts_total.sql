-- How many accounts a firing set out to sweep, counted when it started: with accounts_seen, the
-- progress of a running firing and when it should end.
alter table schedule_run add column accounts_total bigint;
