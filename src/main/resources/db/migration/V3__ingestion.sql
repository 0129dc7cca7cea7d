-- Ingestion: de-duplication window, aliases, account fields rules read, daily counts, suppression.

-- Every accepted messageId, kept for the de-duplication window whatever happens to the raw event.
create table ingested_message (
    message_id   varchar(255) primary key,
    received_at  timestamp with time zone not null
);
create index ingested_message_received on ingested_message (received_at);

-- alias: calls made under previous_id count for user_id.
create table user_alias (
    previous_id  varchar(255) primary key,
    user_id      varchar(255) not null,
    created_at   timestamp with time zone not null
);

alter table account add column plan varchar(100);
alter table account add column mrr numeric(14, 2);
alter table account add column arr numeric(14, 2);
alter table account add column signed_up_at timestamp with time zone;
alter table account add column timezone varchar(64);
alter table account add column locale varchar(35);
alter table account add column owner_csm varchar(255);
create index account_plan on account (plan);

-- Per day counts, so that "in the last N days" reads at most N rows instead of raw events.
create table event_daily (
    subject_type  varchar(8)   not null,
    subject_id    varchar(255) not null,
    event_name    varchar(255) not null,
    event_day     date         not null,
    event_count   bigint       not null,
    primary key (subject_type, subject_id, event_name, event_day)
);

-- Addresses never to be mailed again, kept only as SHA-256 of the lower-cased address.
create table suppression (
    address_hash  varchar(64) primary key,
    reason        varchar(32) not null,
    created_at    timestamp with time zone not null
);

