-- One row per firing of a scheduled rule: when its sweep started and finished and how far it got,
-- so that operators can see that schedules run and how long they take.
create table schedule_run (
    firing_id      varchar(300) primary key,
    rule_id        varchar(255) not null,
    started_at     timestamp with time zone not null,
    finished_at    timestamp with time zone,
    accounts_seen  bigint not null default 0,
    emails_queued  bigint not null default 0
);
create index schedule_run_rule on schedule_run (rule_id, started_at);
