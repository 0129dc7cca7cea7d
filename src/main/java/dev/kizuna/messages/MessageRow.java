package dev.kizuna.messages;

import java.time.Instant;

/**
 * A decision about to be written with others in one statement: its id taken beforehand (an
 * email's links carry it), the time it was decided, what was decided, and the segment variant
 * of the template it was rendered from (null for the template's own files).
 */
public record MessageRow(long id, Instant createdAt, NewMessage message, String variant) {}
