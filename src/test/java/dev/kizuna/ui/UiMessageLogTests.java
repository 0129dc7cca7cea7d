package dev.kizuna.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log page's filters: text search, date range, and paging by id with the "older" link. */
@QuarkusTest
class UiMessageLogTests {

    private static final Pattern ROW_ID =
            Pattern.compile("<tr class=\"message-row\"[^>]*>\\s*<td><a href=\"/ui/messages/(\\d+)\"");
    private static String session;

    @BeforeEach
    void oneSignedUpWorkspace() {
        if (session != null) {
            return;
        }
        Scenario.trialUser("log-lin", "log-acme")
                .withTraits(Map.of("email", "lin@search-log.example", "name", "Lin"))
                .inAccountNamed("Log Acme")
                .signsUp("log-signup-1");
        session = UiKeys.sessionOf(UiKeys.create("csm").secret());
    }

    @Test
    void textSearchFindsSubjectOrRecipientAndTreatsWildcardsAsText() {
        assertThat(ids(Map.of("q", "SEARCH-LOG.example")), hasSize(1));
        assertThat(ids(Map.of("q", "first project is one click", "account", "log-acme")), hasSize(1));
        assertThat(ids(Map.of("q", "start with your first project", "account", "log-acme")), hasSize(1));
        assertThat("% is a character, not a wildcard", ids(Map.of("q", "%", "account", "log-acme")), empty());
    }

    @Test
    void dateRangeIncludesBothEndDaysInUtc() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertThat(ids(Map.of("account", "log-acme", "from", today, "to", today)), hasSize(2));
        assertThat(ids(Map.of("account", "log-acme", "from", tomorrow)), empty());
        assertThat(
                ids(Map.of(
                        "account",
                        "log-acme",
                        "to",
                        LocalDate.now(ZoneOffset.UTC).minusDays(1).toString())),
                empty());
        given().cookie(UiSessions.COOKIE, session)
                .queryParam("from", "yesterday")
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .body(containsString("YYYY-MM-DD"));
    }

    @Test
    void pagesGoToOlderMessagesById() {
        List<Long> both = ids(Map.of("account", "log-acme"));
        assertThat(both, hasSize(2));
        assertTrue(both.get(0) > both.get(1), "newest first");
        assertThat(ids(Map.of("account", "log-acme", "before", String.valueOf(both.get(0)))), contains(both.get(1)));
    }

    @Test
    void theOlderLinkKeepsTheFiltersAndStartsBelowTheLastRow() {
        // 26 sign-ups: an email to user@many-log.example and a nudge to the user id each, 52 messages matching
        // "log-many-".
        for (int i = 0; i < 26; i++) {
            String user = "log-many-" + i;
            SegmentCalls.identify(user, Map.of("email", user + "@many-log.example"))
                    .statusCode(200);
            SegmentCalls.group(user, "log-many-" + i, Map.of("plan", "trial")).statusCode(200);
            SegmentCalls.track(user, "Signed Up", "log-many-" + i, "log-many-signup-" + i)
                    .statusCode(200);
        }
        String page = given().cookie(UiSessions.COOKIE, session)
                .queryParam("q", "log-many-")
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Long> first = idsIn(page);
        assertEquals(50, first.size());
        Matcher older = Pattern.compile("href=\"([^\"]+)\" id=\"older\"").matcher(page);
        assertThat("a full page has an older link", older.find());
        String link = older.group(1).replace("&amp;", "&");
        assertThat(link, containsString("q=log-many-"));
        assertThat(link, containsString("before=" + first.get(49)));
        List<Long> second = idsIn(given().cookie(UiSessions.COOKIE, session)
                .urlEncodingEnabled(false)
                .get(link)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat("52 matches: 50 on the first page, 2 on the next", second, hasSize(2));
        assertTrue(second.get(0) < first.get(49));
    }

    private static List<Long> ids(Map<String, String> filters) {
        return idsIn(given().cookie(UiSessions.COOKIE, session)
                .queryParams(filters)
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static List<Long> idsIn(String html) {
        List<Long> ids = new ArrayList<>();
        Matcher row = ROW_ID.matcher(html);
        while (row.find()) {
            ids.add(Long.parseLong(row.group(1)));
        }
        return ids;
    }
}
