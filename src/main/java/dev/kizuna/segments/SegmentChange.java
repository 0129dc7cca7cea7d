package dev.kizuna.segments;

import java.util.List;

/** Segments an account entered and left in one recomputation. */
public record SegmentChange(List<String> entered, List<String> left) {

    public static final SegmentChange NONE = new SegmentChange(List.of(), List.of());
}
