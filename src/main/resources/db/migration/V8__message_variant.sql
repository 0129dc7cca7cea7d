-- The segment variant of its template a message was rendered from (null: the template's own files),
-- so that engagement can be compared variant by variant.
alter table message add column variant varchar(100);
