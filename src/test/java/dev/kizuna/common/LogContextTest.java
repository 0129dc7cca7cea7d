package dev.kizuna.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @Test
    void aMessageNamesItsIdRuleAndAccountUntilClosed() {
        try (LogContext context = LogContext.ofMessage(42, "welcome", "acme")) {
            assertEquals(42L, MDC.get(LogContext.MESSAGE));
            assertEquals("welcome", MDC.get(LogContext.RULE));
            assertEquals("acme", MDC.get(LogContext.ACCOUNT));
        }
        assertNull(MDC.get(LogContext.MESSAGE));
        assertNull(MDC.get(LogContext.RULE));
        assertNull(MDC.get(LogContext.ACCOUNT));
    }

    @Test
    void contextsNestAndAnUnknownValueLeavesTheOuterOne() {
        try (LogContext firing = LogContext.ofFiring("schedule@1")) {
            try (LogContext message = LogContext.ofMessage(7, "digest", null)) {
                assertEquals("schedule@1", MDC.get(LogContext.FIRING));
                assertEquals("digest", MDC.get(LogContext.RULE));
                assertNull(MDC.get(LogContext.ACCOUNT), "no account: none put");
            }
            try (LogContext decision = LogContext.ofDecision("welcome", "acme")) {
                try (LogContext inner = LogContext.ofDecision("upgrade", null)) {
                    assertEquals("upgrade", MDC.get(LogContext.RULE));
                    assertEquals("acme", MDC.get(LogContext.ACCOUNT));
                }
                assertEquals("welcome", MDC.get(LogContext.RULE), "the outer rule is back");
            }
            assertEquals("schedule@1", MDC.get(LogContext.FIRING));
            assertNull(MDC.get(LogContext.RULE));
        }
        assertNull(MDC.get(LogContext.FIRING));
    }
}
