-- Each paying account's health as Kizuna computed it at a point in time (the first of each month
-- by default), signal by signal: what the health calibration report compares with the churn that
-- followed. Taking a snapshot twice at the same time keeps the first.
create table health_snapshot (
    account_id varchar(255) not null,
    taken_at   timestamp with time zone not null,
    score      integer not null,
    band       varchar(64),
    signals    text not null,
    primary key (account_id, taken_at)
);
create index health_snapshot_taken on health_snapshot (taken_at);
