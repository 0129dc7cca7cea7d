-- A firing sweeps every account once for all the scheduled rules due together, in pages that any
-- instance may claim: sweep_firing is its record and progress, sweep_firing_rule its rules,
-- sweep_page its pages still to do (a page is locked while an instance sweeps it and gone once
-- the firing has finished). The per-rule schedule_run it replaces is carried over.
create table sweep_firing (
    firing_id       varchar(300) primary key,
    started_at      timestamp with time zone not null,
    finished_at     timestamp with time zone,
    accounts_total  bigint,
    accounts_seen   bigint not null default 0,
    emails_queued   bigint not null default 0,
    pages_total     integer not null default 0,
    pages_failed    integer not null default 0
);
create index sweep_firing_started on sweep_firing (started_at);

create table sweep_firing_rule (
    firing_id  varchar(300) not null references sweep_firing (firing_id) on delete cascade,
    rule_id    varchar(255) not null,
    primary key (firing_id, rule_id)
);
create index sweep_firing_rule_rule on sweep_firing_rule (rule_id, firing_id);

-- after_account and through_account bound the page's account ids: (after, through], open where null.
create table sweep_page (
    firing_id          varchar(300) not null references sweep_firing (firing_id) on delete cascade,
    page_no            integer not null,
    firing_started_at  timestamp with time zone not null,
    after_account      varchar(255),
    through_account    varchar(255),
    done_at            timestamp with time zone,
    done_by            varchar(200),
    failures           integer not null default 0,
    last_failure       varchar(2000),
    primary key (firing_id, page_no)
);
create index sweep_page_order on sweep_page (firing_started_at, firing_id, page_no);

insert into sweep_firing (firing_id, started_at, finished_at, accounts_total, accounts_seen, emails_queued)
select firing_id, started_at, finished_at, accounts_total, accounts_seen, emails_queued from schedule_run;
insert into sweep_firing_rule (firing_id, rule_id) select firing_id, rule_id from schedule_run;
drop table schedule_run;
