-- Segments, activation, health and lifecycle, and the due items of relative and inactivity triggers.

alter table account add column activated_at timestamp with time zone;
alter table account add column lifecycle_stage varchar(32);
alter table account add column health_score integer;
alter table account add column health_band varchar(64);

create table account_segment (
    account_id  varchar(255) not null,
    segment     varchar(100) not null,
    entered_at  timestamp with time zone not null,
    primary key (account_id, segment)
);
create index account_segment_by_segment on account_segment (segment, account_id);

create table account_milestone (
    account_id  varchar(255) not null,
    milestone   varchar(100) not null,
    reached_at  timestamp with time zone not null,
    primary key (account_id, milestone)
);

-- "N after X unless Y" and "no X for N days": one row per rule and recipient, due at a time.
-- Never one Quartz job per account: a sweeper claims due rows in pages.
create table due_trigger (
    rule_id        varchar(255) not null,
    account_id     varchar(255) not null,
    user_id        varchar(255) not null,
    due_at         timestamp with time zone not null,
    cause_ref      varchar(255),
    caused_at      timestamp with time zone not null,
    claimed_until  timestamp with time zone,
    primary key (rule_id, account_id, user_id)
);
create index due_trigger_due on due_trigger (due_at);

create index message_user_channel_time on message (user_id, channel, created_at);
