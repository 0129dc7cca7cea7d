-- The segments a firing's rules are all aimed at: its pages hold only the accounts stored as
-- members of one of them. A firing without rows here sweeps every account (a profile refresh,
-- or rules of which one has no audience).
create table sweep_firing_segment (
    firing_id  varchar(300) not null references sweep_firing (firing_id) on delete cascade,
    segment    varchar(100) not null,
    primary key (firing_id, segment)
);
