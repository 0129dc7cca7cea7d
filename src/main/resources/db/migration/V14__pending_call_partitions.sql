-- The log of pending calls is split into 16 partitions, so that every instance can process some
-- of them at once. A call's partition is fixed when it is appended, from the account it is about
-- (the one it names, else the first account of its user), so that an account's calls stay
-- together, in log order. Calls already waiting go to partition 0, which keeps their order.
alter table pending_call add column partition_no smallint default 0 not null;
-- Found by the check that keeps a user's calls in order across partitions held by different instances.
create index pending_call_anonymous on pending_call (anonymous_id);
create index pending_call_previous on pending_call (previous_id);

-- One lease per partition replaces the single lease of the whole log.
delete from processing_lease where name = 'calls';
insert into processing_lease (name, holder, expires_at) values
    ('calls/0', null, null), ('calls/1', null, null), ('calls/2', null, null), ('calls/3', null, null),
    ('calls/4', null, null), ('calls/5', null, null), ('calls/6', null, null), ('calls/7', null, null),
    ('calls/8', null, null), ('calls/9', null, null), ('calls/10', null, null), ('calls/11', null, null),
    ('calls/12', null, null), ('calls/13', null, null), ('calls/14', null, null), ('calls/15', null, null);

-- The instances that process calls, seen alive at most a lease ago: each takes its fair share of
-- the partitions (16 divided by their number) and hands back the rest.
create table call_processor (
    instance  varchar(64) primary key,
    seen_at   timestamp with time zone not null
);
