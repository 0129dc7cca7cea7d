package dev.kizuna.accounts;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What was computed about accounts and stored apart from them: the segments each account is in
 * and the milestones it reached. The segments package computes and stores these; snapshots read
 * them through this view so that accounts does not depend on segments.
 */
public interface StoredProfiles {

    /** The segments each account is in, by name. */
    Map<String, List<String>> segmentsOf(Collection<String> accountIds);

    /** The milestones each account reached, with when, in the order reached. */
    Map<String, Map<String, Instant>> milestonesOf(Collection<String> accountIds);
}
