-- Conversions: whether a message's rule goal was reached within the goal's window after it.

-- When the goal was reached, for a converted message.
alter table message add column converted_at timestamp with time zone;
-- Where following the goal stands: null while followed (or not looked at yet), then 'converted',
-- 'not_converted' (the window passed, or the goal was reached before the message) or
-- 'not_followed' (no goal, or a message that never went out: capped, suppressed, failed).
alter table message add column goal_outcome varchar(16);

-- The attribution job pages through the messages still followed, by id.
create index message_goal_followed on message (goal_outcome, id);
-- Effect reports: the first counted message of each account per rule.
create index message_rule_account on message (rule_id, account_id, id);
-- Goal lookups: who reached a milestone when.
create index account_milestone_by_milestone on account_milestone (milestone, account_id);
-- Event goals: the first time an event happened for an account after a message.
create index event_name_account on event (name, account_id, occurred_at);
