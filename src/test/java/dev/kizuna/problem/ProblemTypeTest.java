package dev.kizuna.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The status of a problem picks its kind; every kind has a type URI of its own under one base. */
class ProblemTypeTest {

    @Test
    void eachStatusKizunaAnswersHasItsKind() {
        assertEquals(
                "https://kizuna.dev/problems/validation",
                ProblemType.of(400).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/unauthorized",
                ProblemType.of(401).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/forbidden",
                ProblemType.of(403).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/not-found",
                ProblemType.of(404).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/unsupported",
                ProblemType.of(415).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/conflict",
                ProblemType.of(409).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/limit", ProblemType.of(413).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/limit", ProblemType.of(429).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/unprocessable",
                ProblemType.of(422).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/upstream",
                ProblemType.of(502).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/unavailable",
                ProblemType.of(503).uri().toString());
        assertEquals(
                "https://kizuna.dev/problems/internal",
                ProblemType.of(500).uri().toString());
    }

    @Test
    void theRateLimitAndOverloadAnswersCarryTheirTypeAndRetryAfter() {
        var limited = ProblemMappers.answer(ProblemException.tooManyRequests("slow down", 3));
        assertEquals(429, limited.getStatus());
        assertEquals("3", limited.getHeaderString("Retry-After"));
        assertEquals("https://kizuna.dev/problems/limit", ((Problem) limited.getEntity()).type());
        var unavailable = ProblemMappers.answer(ProblemException.serviceUnavailable("later", 5));
        assertEquals("https://kizuna.dev/problems/unavailable", ((Problem) unavailable.getEntity()).type());
    }

    @Test
    void noTwoKindsShareAType() {
        Set<String> types = Arrays.stream(ProblemType.values())
                .map(kind -> kind.uri().toString())
                .collect(Collectors.toSet());
        assertEquals(ProblemType.values().length, types.size());
    }
}
