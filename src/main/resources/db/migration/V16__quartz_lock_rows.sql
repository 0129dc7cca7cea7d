-- Quartz's clustered job store adds its two lock rows the first time it takes them. Two
-- instances starting together on a new database both tried to, and the one whose insert lost
-- failed to start (its transaction aborted by the duplicate key). The rows are made here, before
-- any instance starts Quartz, for the scheduler name Kizuna runs Quartz under.
insert into qrtz_locks (sched_name, lock_name)
select 'QuarkusQuartzScheduler', 'TRIGGER_ACCESS' where not exists (
    select 1 from qrtz_locks where sched_name = 'QuarkusQuartzScheduler' and lock_name = 'TRIGGER_ACCESS');
insert into qrtz_locks (sched_name, lock_name)
select 'QuarkusQuartzScheduler', 'STATE_ACCESS' where not exists (
    select 1 from qrtz_locks where sched_name = 'QuarkusQuartzScheduler' and lock_name = 'STATE_ACCESS');
