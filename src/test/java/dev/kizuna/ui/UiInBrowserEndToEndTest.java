package dev.kizuna.ui;

import static dev.kizuna.TestKeys.asAdmin;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.kizuna.Scenario;
import dev.kizuna.SegmentCalls;
import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.NewMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A CSM's and a marketer's path through the UI in a real headless Chromium: sign in, filter the
 * log, read a message as it was sent and why, look at its account, and the roles and languages;
 * and that an email's remote images load only when its reader asks for them.
 * Skipped where Chromium and its driver are not installed (CI installs them: see .ci/run).
 */
@QuarkusTest
class UiInBrowserEndToEndTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TestHTTPResource("/")
    URL base;

    @Inject
    MessageRecorder messages;

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests need Debian's chromium and chromium-driver at /usr/bin/chromium and /usr/bin/chromedriver");
        profile = Files.createTempDirectory("kizuna-ui-browser");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1000",
                "--lang=en-US",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(File::delete);
            }
        }
    }

    @Test
    void aCsmFindsAMessageReadsItAsSentAndWhyAndOpensItsAccount() throws Exception {
        Scenario.trialUser("ui-ada", "ui-acme")
                .withTraits(Map.of("email", "ada@acme-ui.example", "name", "Ada Lovelace"))
                .inAccountNamed("Acme UI")
                .signsUp("ui-signup-1");
        Scenario.trialUser("ui-bob", "ui-other")
                .withTraits(Map.of("email", "bob@other-ui.example", "name", "Bob Other"))
                .inAccountNamed("Other UI")
                .signsUp("ui-signup-2");
        String csm = UiKeys.create("csm").secret();

        open("/ui/messages");
        assertThat("no session goes to sign-in", browser.getCurrentUrl(), containsString("/ui/sign-in"));
        signIn(csm);
        assertThat(browser.getCurrentUrl(), containsString("/ui/messages"));
        screenshot("01-message-log");

        fillIn(By.id("f-account"), "ui-acme");
        clickThrough(By.id("apply-filters"));
        List<WebElement> rows = browser.findElements(By.cssSelector("tr.message-row"));
        assertThat("the welcome email and the first-project nudge", rows.size(), greaterThanOrEqualTo(2));
        assertThat(
                rows.stream().map(row -> row.getDomAttribute("data-account")).toList(), everyItem(equalTo("ui-acme")));
        screenshot("02-filtered-by-account");

        new Select(browser.findElement(By.id("f-channel"))).selectByValue("inapp");
        clickThrough(By.id("apply-filters"));
        rows = browser.findElements(By.cssSelector("tr.message-row"));
        assertThat(rows, hasSize(1));
        assertEquals("inapp", rows.get(0).getDomAttribute("data-channel"));

        new Select(browser.findElement(By.id("f-channel"))).selectByValue("email");
        clickThrough(By.id("apply-filters"));
        rows = browser.findElements(By.cssSelector("tr.message-row"));
        assertThat(rows, hasSize(1));
        screenshot("03-filtered-by-channel");
        clickThrough(By.cssSelector("tr.message-row td a"));

        assertEquals(
                "Welcome to Tasklane, Ada: your first project is one click away",
                browser.findElement(By.id("message-subject")).getText());
        assertThat(browser.findElement(By.id("explanation")).getText(), containsString("Signed Up"));
        String timeline = browser.findElement(By.id("timeline")).getText();
        assertThat(timeline, containsString("decided"));
        assertThat(
                "the welcome email had every item of 特定電子メール法",
                browser.findElement(By.id("compliance")).getText(),
                containsString("Every item was in the email"));
        assertThat(
                browser.findElement(By.id("consent")).getText(),
                containsString("'onboarding' emails do not need opt-in."));
        screenshot("04-message-detail");
        browser.switchTo().frame(browser.findElement(By.id("email-frame")));
        assertThat(
                "the email's HTML is shown as sent",
                browser.findElement(By.tagName("body")).getText(),
                containsString("Acme UI"));
        assertTrue(browser.findElements(By.tagName("strong")).stream()
                .anyMatch(bold -> bold.getText().equals("Acme UI")));
        browser.switchTo().defaultContent();

        clickThrough(By.cssSelector("#message-facts a[href='/ui/accounts/ui-acme']"));
        assertThat(browser.findElement(By.id("account-heading")).getText(), containsString("Acme UI"));
        String segments = browser.findElement(By.id("segments")).getText();
        assertThat(segments, containsString("trial"));
        assertThat(segments, containsString("tech-touch"));
        String accountTimeline = browser.findElement(By.id("account-timeline")).getText();
        assertThat(accountTimeline, containsString("Signed Up"));
        assertThat(accountTimeline, containsString("Welcome to Tasklane, Ada"));
        screenshot("05-account");

        // A scheduled rule shows its latest firing: how far it got, and when it finished.
        String firingId = asAdmin()
                .post("/api/rules/weekly-onboarding-checkin/run")
                .then()
                .statusCode(202)
                .extract()
                .path("firingId");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> asAdmin()
                                .get("/api/rules/weekly-onboarding-checkin/runs")
                                .jsonPath()
                                .getList("findAll { it.firingId == '" + firingId + "' && it.finishedAt != null }")
                                .size()
                        == 1);
        open("/ui/rules");
        assertTrue(
                browser.findElements(By.cssSelector("form.preview-form")).isEmpty(),
                "a CSM reads rules but gets no preview form");
        String latestRun = browser.findElement(By.id("latest-run-weekly-onboarding-checkin"))
                .getText();
        assertThat(latestRun, containsString("accounts (100.0 %)"));
        assertThat(latestRun, containsString("finished"));
        screenshot("06-rules-as-csm");

        clickThrough(By.id("language-switch"));
        assertEquals(
                "ルール",
                browser.findElement(By.cssSelector("nav a[aria-current='page']"))
                        .getText());
        assertEquals("ja", browser.findElement(By.tagName("html")).getDomAttribute("lang"));
        open("/ui/messages");
        assertThat(browser.findElement(By.cssSelector("label[for='f-account']")).getText(), equalTo("アカウント"));
        screenshot("07-japanese");
        clickThrough(By.id("language-switch"));
        assertEquals(
                "Messages",
                browser.findElement(By.cssSelector("nav a[aria-current='page']"))
                        .getText());

        clickThrough(By.id("sign-out"));
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("/ui/sign-in"));
        open("/ui/messages");
        assertThat("signed out means signed out", browser.getCurrentUrl(), containsString("/ui/sign-in"));
    }

    @Test
    void aWriteKeyCannotSignIn() throws Exception {
        open("/ui/sign-in");
        signIn("test-write-key");
        assertThat(browser.findElement(By.id("sign-in-error")).getText(), containsString("write key"));
        assertThat(browser.getCurrentUrl(), containsString("/ui/sign-in"));
        screenshot("08-write-key-refused");
    }

    @Test
    void aMarketerPreviewsARulesTemplatesForAnAccount() throws Exception {
        Scenario.trialUser("ui-mia", "ui-market")
                .withTraits(Map.of("email", "mia@market-ui.example", "name", "Mia Marketer"))
                .inAccountNamed("Market UI")
                .signsUp("ui-signup-3");
        open("/ui/sign-in");
        signIn(UiKeys.create("marketer").secret());
        open("/ui/rules");
        fillIn(By.cssSelector("#preview-form-welcome-new-workspace [name=account]"), "ui-market");
        clickThrough(By.cssSelector("#preview-form-welcome-new-workspace button[type=submit]"));
        assertThat(
                browser.findElements(By.cssSelector(".preview-subject")).stream()
                        .map(WebElement::getText)
                        .toList(),
                hasItem("Welcome to Tasklane, Mia: your first project is one click away"));
        assertThat(
                browser.findElement(By.cssSelector(".nudge-title")).getText(),
                equalTo("Start with your first project"));
        // Mia got the welcome when she signed up and the rule is once per user: the verdict (not the
        // help text above it, which uses the same words) says she would not get it again.
        assertThat(
                browser.findElement(By.cssSelector("#simulation h3 .status")).getText(),
                equalTo("would not get the message"));
        screenshot("09-preview-as-marketer");

        clickThrough(By.linkText("Reports"));
        assertThat(browser.findElement(By.id("funnel")).getText(), containsString("created_project"));
        screenshot("10-reports");
    }

    @Test
    void aCsmReadsRetentionChartsInEnglishThenJapanese() throws Exception {
        SegmentCalls.batch(List.of(
                        Map.of(
                                "type",
                                "group",
                                "userId",
                                "ui-ret-owner",
                                "groupId",
                                "ui-ret",
                                "timestamp",
                                "2001-01-05T09:00:00Z",
                                "messageId",
                                "ui-ret-1",
                                "traits",
                                Map.of("createdAt", "2001-01-05T09:00:00Z", "plan", "team", "mrr", 400)),
                        Map.of(
                                "type",
                                "track",
                                "userId",
                                "ui-ret-owner",
                                "event",
                                "Plan Upgraded",
                                "context",
                                Map.of("groupId", "ui-ret"),
                                "timestamp",
                                "2001-03-05T09:00:00Z",
                                "messageId",
                                "ui-ret-2",
                                "properties",
                                Map.of("plan", "business", "mrr", 1200)),
                        Map.of(
                                "type",
                                "track",
                                "userId",
                                "ui-ret-owner",
                                "event",
                                "Subscription Cancelled",
                                "context",
                                Map.of("groupId", "ui-ret"),
                                "timestamp",
                                "2001-05-20T09:00:00Z",
                                "messageId",
                                "ui-ret-3")))
                .statusCode(200);
        open("/ui/sign-in");
        signIn(UiKeys.create("csm").secret());
        clickThrough(By.linkText("Retention"));
        assertThat(browser.findElement(By.tagName("h1")).getText(), equalTo("Retention and revenue"));
        open("/ui/retention?from=2001-01&to=2001-06");
        WebElement movements = browser.findElement(By.id("mrr-movements"));
        assertTrue(
                movements.isDisplayed() && movements.getSize().getWidth() > 300,
                "the chart is drawn at a readable size");
        assertThat(browser.findElements(By.cssSelector("#mrr-movements rect.bar.s-expansion")), hasSize(1));
        assertThat(browser.findElements(By.cssSelector("#mrr-movements rect.bar.s-churned")), hasSize(1));
        assertThat(browser.findElements(By.cssSelector("#revenue-retention path.s-nrr")), hasSize(1));
        screenshot("13-retention");

        clickThrough(By.linkText("日本語"));
        assertThat(browser.findElement(By.tagName("h1")).getText(), equalTo("リテンションと収益"));
        assertThat(
                browser.findElement(By.cssSelector("#mrr-movements title")).getAttribute("textContent"),
                equalTo("MRR の増減"));
        assertThat(browser.findElements(By.cssSelector("#mrr-movements rect.bar.s-expansion")), hasSize(1));
        screenshot("14-retention-ja");
    }

    @Test
    void readingAnEmailLoadsNothingFromElsewhereUntilTheReaderShowsRemoteImages() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        // Another port is another origin: for the page, this server is as remote as a sender's CDN.
        HttpServer remote = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        remote.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "image/gif");
            byte[] gif = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
            exchange.sendResponseHeaders(200, gif.length);
            exchange.getResponseBody().write(gif);
            exchange.close();
        });
        remote.start();
        try {
            String logo = "http://127.0.0.1:" + remote.getAddress().getPort() + "/logo.gif";
            long id = QuarkusTransaction.requiringNew()
                    .call(() -> messages.record(new NewMessage(
                            "welcome-new-workspace",
                            "v1",
                            "ui-remote",
                            "ui-rae",
                            Channel.EMAIL,
                            "welcome",
                            "en",
                            MessageStatus.SENT,
                            NewMessage.Cause.event("ui-remote-signup", "event 'Signed Up'"),
                            "rae@remote-ui.example",
                            "Hello from a remote logo",
                            "<p>Hello</p><img id=\"logo\" src=\"" + logo + "\" alt=\"Logo\">",
                            "Hello",
                            null,
                            "product",
                            "Tasklane <hello@tasklane.example>",
                            null)));
            open("/ui/sign-in");
            signIn(UiKeys.create("csm").secret());

            open("/ui/messages/" + id);
            assertThat(
                    browser.findElement(By.id("remote-images")).getText(), containsString("Remote images are blocked"));
            screenshot("11-remote-images-blocked");
            assertEquals(0, requests.get(), "the page loaded and nothing was fetched from the other server");

            clickThrough(By.id("show-remote-images"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= 1);
            assertThat(
                    browser.findElement(By.id("remote-images")).getText(), containsString("Remote images are shown"));
            screenshot("12-remote-images-shown");
        } finally {
            remote.stop(0);
        }
    }

    private void open(String path) {
        browser.get(base.toString().replaceAll("/$", "") + path);
    }

    private void signIn(String key) {
        fillIn(By.id("key"), key);
        clickThrough(By.id("sign-in"));
    }

    /**
     * Types into the field the locator finds on the page as it is now. The browser can refuse an
     * element it has only just handed out ("node does not belong to the document") while a page
     * settles, so typing is retried on a freshly found element.
     */
    private void fillIn(By locator, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .until(driver -> {
                    WebElement field = driver.findElement(locator);
                    field.clear();
                    field.sendKeys(text);
                    return true;
                });
    }

    /**
     * Clicks the link or button the locator finds on the page as it is now, and waits for the page
     * it loads (a click can return before it). Found while the previous page was still being
     * replaced, an element can belong to no document by the time it is clicked: then it is found
     * again and clicked again.
     */
    private void clickThrough(By locator) {
        WebElement clicked = new WebDriverWait(browser, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .until(driver -> {
                    WebElement element = driver.findElement(locator);
                    element.click();
                    return element;
                });
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> isGone(clicked));
    }

    /**
     * Whether the element's page has been replaced. Chromium reports a node of a page it has left
     * either as a stale element or, in some versions, as a node that "does not belong to the
     * document"; both mean the new page is there.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException stale) {
            return true;
        } catch (org.openqa.selenium.WebDriverException error) {
            if (String.valueOf(error.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw error;
        }
    }

    private void screenshot(String name) throws Exception {
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
