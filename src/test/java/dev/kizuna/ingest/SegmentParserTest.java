package dev.kizuna.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** How Segment bodies become calls: each type, the limits, the clock-skew correction, and where each problem is. */
class SegmentParserTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-10T12:00:10Z");

    // --- each type of call

    @Test
    void anIdentifyCallCarriesTheUserAndTheirTraits() {
        SegmentCall call = one(CallType.IDENTIFY, """
                {"userId": "ada", "messageId": "m-1", "traits": {"email": "ada@acme.test", "name": "Ada"}}""");

        assertEquals(CallType.IDENTIFY, call.type());
        assertEquals("ada", call.userId());
        assertEquals("m-1", call.messageId());
        assertEquals(Map.of("email", "ada@acme.test", "name", "Ada"), call.traits());
        assertNull(call.event());
    }

    @Test
    void anIdentifyCallWithTraitsOnlyInItsContextUsesThose() {
        SegmentCall call = one(CallType.IDENTIFY, """
                {"userId": "ada", "context": {"traits": {"email": "ada@acme.test"}}}""");

        assertEquals(Map.of("email", "ada@acme.test"), call.traits());
    }

    @Test
    void aTrackCallIsCountedUnderItsEventNameWithItsProperties() {
        SegmentCall call = one(CallType.TRACK, """
                {"userId": "ada", "event": "Project Created", "properties": {"template": "kanban"}}""");

        assertEquals("Project Created", call.event());
        assertEquals(Map.of("template", "kanban"), call.properties());
    }

    @Test
    void pageAndScreenCallsAreCountedAsViewsOfTheirName() {
        assertEquals("Viewed Pricing Page", one(CallType.PAGE, """
                {"userId": "ada", "name": "Pricing"}""").event());
        assertEquals("Loaded a Page", one(CallType.PAGE, """
                {"anonymousId": "a-1"}""").event());
        assertEquals("Viewed Settings Screen", one(CallType.SCREEN, """
                {"userId": "ada", "name": "Settings"}""").event());
        assertEquals("Loaded a Screen", one(CallType.SCREEN, """
                {"userId": "ada", "name": " "}""").event());
    }

    @Test
    void aGroupCallPutsTheUserInTheAccountWithItsTraits() {
        SegmentCall call = one(CallType.GROUP, """
                {"userId": "ada", "groupId": "acme", "traits": {"plan": "trial"}}""");

        assertEquals("acme", call.groupId());
        assertEquals(Map.of("plan", "trial"), call.traits());
    }

    @Test
    void aTrackCallNamesItsAccountThroughTheContextGroupId() {
        SegmentCall call = one(CallType.TRACK, """
                {"userId": "ada", "event": "Task Completed", "context": {"groupId": "acme"}}""");

        assertEquals("acme", call.groupId());
    }

    @Test
    void anAliasCallLinksThePreviousIdToTheUser() {
        SegmentCall call = one(CallType.ALIAS, """
                {"userId": "ada", "previousId": "a-1"}""");

        assertEquals("ada", call.userId());
        assertEquals("a-1", call.previousId());
        assertEquals("a-1", call.payload().get("previousId"));
    }

    @Test
    void aCallWithoutMessageIdIsGivenOne() {
        SegmentCall first = one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In"}""");
        SegmentCall second = one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In"}""");

        assertTrue(first.messageId().startsWith("kizuna-"), first.messageId());
        assertNotEquals(first.messageId(), second.messageId());
    }

    // --- what each call requires, and where the problem is named

    @Test
    void aCallWithNeitherUserIdNorAnonymousIdIsRejectedAtUserId() {
        assertViolations(() -> one(CallType.TRACK, """
                {"event": "Logged In"}"""), "userId");
    }

    @Test
    void eachTypeNamesTheFieldItRequires() {
        assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada"}"""), "event");
        assertViolations(() -> one(CallType.GROUP, """
                {"userId": "ada"}"""), "groupId");
        assertViolations(() -> one(CallType.ALIAS, """
                {"anonymousId": "a-1"}"""), "previousId", "userId");
    }

    @Test
    void idsMustBeStringsOfAtMost255CharactersWithoutControlCharacters() {
        // With an anonymousId, so that the bad userId is the only problem.
        assertViolations(() -> one(CallType.IDENTIFY, """
                {"anonymousId": "a-1", "userId": {"id": "ada"}}"""), "userId");
        assertViolations(
                () -> one(CallType.IDENTIFY, "{\"anonymousId\": \"a-1\", \"userId\": \"" + "a".repeat(256) + "\"}"),
                "userId");
        assertViolations(() -> one(CallType.IDENTIFY, """
                {"anonymousId": "a-1", "userId": "ada\\u0007"}"""), "userId");
        assertEquals("42", one(CallType.IDENTIFY, """
                {"userId": 42}""").userId());
    }

    @Test
    void eventNamesStartingWithKizunaAreReservedWhateverTheirCase() {
        ProblemException rejected = assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada", "event": "kizuna.email_clicked"}"""), "event");
        assertTrue(rejected.getMessage().contains("reserved"), rejected.getMessage());
        assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada", "event": "Kizuna.Anything"}"""), "event");
        assertEquals("Kizuna Tour Finished", one(CallType.TRACK, """
                {"userId": "ada", "event": "Kizuna Tour Finished"}""").event());
    }

    @Test
    void aConsentEventNeedsAKnownUserAndNamesEachMissingProperty() {
        assertViolations(() -> one(CallType.TRACK, """
                {"anonymousId": "a-1", "event": "Consent Given", "properties": {"category": "marketing", "wording": "Yes"}}"""), "userId");
        assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada", "event": "Consent Given", "properties": {}}"""), "properties.category", "properties.wording");
    }

    @Test
    void propertiesTraitsAndContextMustBeObjects() {
        assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In", "properties": [1], "context": "web"}"""), "properties", "context");
    }

    // --- timestamps

    @Test
    void aCallWithoutTimestampHappenedWhenReceived() {
        assertEquals(RECEIVED, one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In"}""").timestamp());
    }

    @Test
    void aTimestampWithoutSentAtIsTakenAsItIs() {
        assertEquals(
                Instant.parse("2026-03-09T08:00:00Z"), one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In", "timestamp": "2026-03-09T17:00:00+09:00"}""").timestamp());
    }

    @Test
    void aCallStampedInTheFutureIsCorrectedBySentAt() {
        // The client's clock is 5 minutes fast: it says the event happened 10 seconds before it sent it.
        SegmentCall call = one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In", "timestamp": "2026-03-10T12:05:00Z", "sentAt": "2026-03-10T12:05:10Z"}""");

        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), call.timestamp());
        assertEquals(RECEIVED, call.receivedAt());
    }

    @Test
    void theOriginalTimestampIsPreferredToTheTimestamp() {
        SegmentCall call = one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In", "originalTimestamp": "2026-03-10T11:00:00Z",
                 "timestamp": "2026-03-10T11:59:00Z", "sentAt": "2026-03-10T12:00:00Z"}""");

        assertEquals(Instant.parse("2026-03-10T11:00:10Z"), call.timestamp());
    }

    @Test
    void aBatchsSentAtCorrectsEachCallThatHasNoneOfItsOwn() {
        List<SegmentCall> calls = batch("""
                {"sentAt": "2026-03-10T13:00:10Z", "batch": [
                  {"type": "track", "userId": "ada", "event": "Logged In", "timestamp": "2026-03-10T13:00:00Z"},
                  {"type": "track", "userId": "ada", "event": "Logged In", "timestamp": "2026-03-10T13:00:00Z",
                   "sentAt": "2026-03-10T13:00:00Z"}]}""");

        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), calls.get(0).timestamp());
        assertEquals(RECEIVED, calls.get(1).timestamp());
    }

    @Test
    void aCorrectionThatLandsMoreThanADayAheadIsRejectedAtSentAt() {
        ProblemException rejected = assertViolations(() -> batch("""
                {"batch": [{"type": "track", "userId": "ada", "event": "Logged In",
                  "timestamp": "2026-03-20T00:00:00Z", "sentAt": "2026-03-10T00:00:00Z"}]}"""), "batch[0].sentAt");
        assertTrue(rejected.getMessage().contains("2026-03-20T12:00:10Z"), rejected.getMessage());
    }

    @Test
    void aTimestampMustBeAnIsoDateTimeWithOffset() {
        assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In", "timestamp": "2026-03-10 12:00"}"""), "timestamp");
        assertViolations(() -> one(CallType.TRACK, """
                {"userId": "ada", "event": "Logged In", "timestamp": 1773144000}"""), "timestamp");
        assertViolations(() -> batch("""
                {"sentAt": "yesterday", "batch": [{"type": "track", "userId": "ada", "event": "Logged In"}]}"""), "sentAt");
    }

    // --- batches and limits

    @Test
    void aBatchMayMixTypesAndSharesItsContextWithCallsThatHaveNone() {
        List<SegmentCall> calls = batch("""
                {"context": {"groupId": "acme"}, "batch": [
                  {"type": "identify", "userId": "ada", "traits": {"email": "ada@acme.test"}},
                  {"type": "track", "userId": "ada", "event": "Project Created"},
                  {"type": "page", "userId": "ada", "name": "Pricing", "context": {"locale": "ja-JP"}}]}""");

        assertEquals(
                List.of(CallType.IDENTIFY, CallType.TRACK, CallType.PAGE),
                calls.stream().map(SegmentCall::type).toList());
        assertEquals("acme", calls.get(1).groupId());
        assertNull(calls.get(2).groupId());
        assertEquals(Map.of("locale", "ja-JP"), calls.get(2).context());
    }

    @Test
    void aBatchIsRejectedWholeNamingEveryBadCallByIndex() {
        assertViolations(
                () -> batch("""
                {"batch": [
                  {"type": "track", "userId": "ada", "event": "Logged In"},
                  {"type": "track", "userId": "ada"},
                  {"type": "purchase", "userId": "ada"},
                  {"userId": "ada"},
                  "identify",
                  {"type": "group", "userId": "ada"}]}"""), "batch[1].event", "batch[2].type", "batch[3].type", "batch[4]", "batch[5].groupId");
    }

    @Test
    void aBatchNeedsAnArrayOfCalls() {
        assertViolations(() -> batch("""
                {"calls": []}"""), "batch");
        assertViolations(() -> batch("""
                {"batch": {"type": "track"}}"""), "batch");
    }

    @Test
    void anEventOver32KilobytesIsTooLargeAloneOrInABatch() {
        String big = "x".repeat(SegmentParser.MAX_EVENT_BYTES);
        ProblemException alone = assertThrows(
                ProblemException.class,
                () -> one(
                        CallType.TRACK,
                        "{\"userId\": \"ada\", \"event\": \"Logged In\", \"properties\": {\"note\": \"" + big
                                + "\"}}"));
        assertEquals(413, alone.status());

        ProblemException inBatch = assertViolations(
                () -> batch("{\"batch\": ["
                        + "{\"type\": \"track\", \"userId\": \"ada\", \"event\": \"Logged In\"},"
                        + " {\"type\": \"track\", \"userId\": \"ada\", \"event\": \"Logged In\", \"properties\": {\"note\": \""
                        + big + "\"}}]}"),
                "batch[1]");
        assertEquals(400, inBatch.status());
    }

    @Test
    void aBatchOver500KilobytesIsTooLarge() {
        StringBuilder body = new StringBuilder("{\"batch\": [");
        String call =
                "{\"type\": \"track\", \"userId\": \"ada\", \"event\": \"Logged In\", \"properties\": {\"note\": \""
                        + "x".repeat(10_000) + "\"}}";
        for (int i = 0; i < 52; i++) {
            body.append(i == 0 ? "" : ",").append(call);
        }
        body.append("]}");
        assertTrue(body.length() > SegmentParser.MAX_BATCH_BYTES);

        ProblemException rejected = assertThrows(ProblemException.class, () -> batch(body.toString()));
        assertEquals(413, rejected.status());
        assertEquals(List.of("body"), fields(rejected));
    }

    // --- bodies that are not JSON objects

    @Test
    void aBodyThatIsNotAJsonObjectIsRejectedAtBody() {
        assertViolations(() -> one(CallType.TRACK, ""), "body");
        assertViolations(() -> one(CallType.TRACK, "[]"), "body");
        ProblemException broken =
                assertViolations(() -> one(CallType.TRACK, "{\"userId\": \"ada\",\n \"event\": }"), "body");
        assertEquals(2, broken.toProblem().errors().get(0).line());
    }

    @Test
    void duplicateKeysAndDeepNestingAreRefused() {
        assertViolations(() -> one(CallType.IDENTIFY, """
                {"userId": "ada", "userId": "grace"}"""), "body");
        String deep =
                "{\"a\": ".repeat(SegmentParser.MAX_NESTING + 1) + "1" + "}".repeat(SegmentParser.MAX_NESTING + 1);
        assertViolations(() -> one(CallType.IDENTIFY, "{\"userId\": \"ada\", \"traits\": " + deep + "}"), "body");
    }

    @Test
    void theWriteKeyMayBeInTheBody() {
        assertEquals("wk-1", SegmentParser.writeKeyIn(bytes("""
                {"writeKey": "wk-1", "batch": []}""")));
        assertNull(SegmentParser.writeKeyIn(bytes("not json")));
    }

    private static SegmentCall one(CallType type, String body) {
        return SegmentParser.parseOne(type, bytes(body), RECEIVED);
    }

    private static List<SegmentCall> batch(String body) {
        return SegmentParser.parseBatch(bytes(body), RECEIVED);
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts that parsing is refused as a bad request naming exactly these fields, in order. */
    private static ProblemException assertViolations(Executable parsing, String... fields) {
        ProblemException rejected = assertThrows(ProblemException.class, parsing);
        assertEquals(400, rejected.status(), rejected.getMessage());
        assertEquals(List.of(fields), fields(rejected), rejected.getMessage());
        return rejected;
    }

    private static List<String> fields(ProblemException rejected) {
        return rejected.toProblem().errors().stream().map(Violation::field).toList();
    }
}
