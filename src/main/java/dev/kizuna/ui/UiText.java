package dev.kizuna.ui;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The UI's words in English; Japanese in messages/msg_ja.properties. Templates read them as {msg:key}. */
@MessageBundle("msg")
public interface UiText {

    @Message("Kizuna")
    String appName();

    @Message("Skip to content")
    String skipToContent();

    @Message("Main navigation")
    String mainNavigation();

    @Message("Messages")
    String navMessages();

    @Message("Accounts")
    String navAccounts();

    @Message("Rules")
    String navRules();

    @Message("Reports")
    String navReports();

    @Message("Signed in as {name} ({role})")
    String signedInAs(String name, String role);

    @Message("Sign out")
    String signOut();

    @Message("Language")
    String language();

    @Message("Time zone")
    String timeZone();

    @Message("Set")
    String setTimeZone();

    /** Words Kizuna itself writes for a message's status, the events of its timeline and a simulation's verdict. */
    @Message(
            "{#when status}{#is 'queued'}queued{#is 'sent'}sent{#is 'failed'}failed{#is 'suppressed'}suppressed{#is 'held_out'}held out{#is 'capped'}capped{#else}{status}{/when}")
    String statusName(String status);

    @Message(
            "{#when type}{#is 'decided'}decided{#is 'sent'}sent{#is 'attempt_failed'}attempt failed{#is 'failed'}failed{#is 'bounced'}bounced{#is 'suppressed'}suppressed{#is 'opened'}opened{#is 'clicked'}clicked{#is 'unsubscribed'}unsubscribed{#is 'seen'}seen{#is 'dismissed'}dismissed{#is 'converted'}converted{#else}{type}{/when}")
    String eventName(String type);

    @Message(
            "{#when status}{#is 'pending'}not seen yet{#is 'seen'}seen{#is 'clicked'}clicked{#is 'dismissed'}dismissed{#else}{status}{/when}")
    String nudgeStatus(String status);

    @Message("{#when verdict}{#is 'fire'}fires{#is 'hold_out'}holds out{#is 'skip'}skips{#else}{verdict}{/when}")
    String verdictName(String verdict);

    @Message(
            "{#when verdict}{#is 'lifts the goal'}lifts the goal{#is 'lowers the goal'}lowers the goal{#is 'no significant difference'}no significant difference{#is 'not enough data yet'}not enough data yet{#else}{verdict}{/when}")
    String effectVerdict(String verdict);

    @Message("Sign in")
    String signIn();

    @Message(
            "Paste an API key with the csm, marketer or admin role. The key is checked and not stored in your browser; the session lasts until you sign out.")
    String signInHelp();

    @Message("API key")
    String apiKey();

    @Message("That key is unknown or has been revoked.")
    String signInUnknownKey();

    @Message(
            "A write key is for sending events from your product and cannot sign in. Use a csm, marketer or admin key.")
    String signInWriteKey();

    @Message("Message log")
    String messageLog();

    @Message("Filters")
    String filters();

    @Message("Account")
    String account();

    @Message("User")
    String user();

    @Message("Rule")
    String rule();

    @Message("Channel")
    String channel();

    @Message("Status")
    String status();

    @Message("From")
    String dateFrom();

    @Message("To (inclusive)")
    String dateTo();

    @Message("Subject or recipient contains")
    String search();

    @Message("Any")
    String any();

    @Message("Apply filters")
    String applyFilters();

    @Message("Clear")
    String clearFilters();

    @Message("Decided")
    String decided();

    @Message("Subject")
    String subject();

    @Message("Recipient")
    String recipient();

    @Message("No messages match these filters.")
    String noMessages();

    @Message("Older messages")
    String olderMessages();

    @Message("Newest messages")
    String newestMessages();

    @Message("Dates are read as YYYY-MM-DD (days in {zone}); the date filter was not applied.")
    String badDate(String zone);

    @Message("Message {id}")
    String messageTitle(long id);

    @Message("Sender")
    String sender();

    @Message("Message-ID")
    String emailMessageId();

    @Message("Category")
    String category();

    @Message("Variant")
    String variant();

    @Message("Template")
    String template();

    @Message("Locale")
    String locale();

    @Message("Rule version")
    String ruleVersion();

    @Message("Error")
    String error();

    @Message("The email as sent")
    String emailAsSent();

    @Message(
            "Tracking links and the open pixel are inert here, so that reading the email does not count as an open or a click.")
    String trackingInert();

    @Message("Text part")
    String textPart();

    @Message("The in-app nudge as shown")
    String nudgeAsShown();

    @Message("The body as posted")
    String postAsSent();

    @Message("Target")
    String target();

    @Message("Title")
    String nudgeTitle();

    @Message("Body")
    String nudgeBody();

    @Message("Call to action")
    String nudgeCta();

    @Message("Placement")
    String placement();

    @Message(
            "Remote images are blocked: this email loads content from other servers, and Kizuna shows nothing from outside unless you ask.")
    String remoteImagesBlocked();

    @Message("Show remote images")
    String showRemoteImages();

    @Message(
            "Showing them makes your browser fetch them from the sender's servers or a third party's: they learn that the email was read, from where, and may count it as an open.")
    String remoteImagesWarning();

    @Message("Remote images are shown on this page, fetched by your browser from other servers.")
    String remoteImagesShown();

    @Message("Block them again")
    String blockRemoteImages();

    @Message("Timeline")
    String timeline();

    @Message("Cause")
    String cause();

    @Message(
            "{#when type}{#is 'event'}event{#is 'schedule'}schedule{#is 'segment'}segment{#is 'after'}delay after an event{#is 'inactivity'}inactivity{#else}{type}{/when}")
    String causeType(String type);

    @Message("Why")
    String why();

    @Message("No content: the message was not rendered, or its recipient was erased.")
    String noContent();

    @Message("No message with id {id}.")
    String noSuchMessage(String id);

    @Message("Accounts")
    String accountsTitle();

    @Message("Search accounts (id or traits)")
    String searchAccounts();

    @Message("Plan")
    String plan();

    @Message("Owner CSM")
    String ownerCsm();

    @Message("Signed up")
    String signedUp();

    @Message("Search")
    String searchButton();

    @Message("More accounts")
    String moreAccounts();

    @Message("No accounts match.")
    String noAccounts();

    @Message("Name")
    String name();

    @Message("No account with id {id}.")
    String noSuchAccount(String id);

    @Message("State")
    String state();

    @Message("Lifecycle stage")
    String lifecycleStage();

    @Message("Health score")
    String healthScore();

    @Message("Risk band")
    String riskBand();

    @Message("Time-to-value")
    String timeToValue();

    @Message("{hours} h")
    String hours(long hours);

    @Message("Not activated yet")
    String notActivated();

    @Message("Activated")
    String activated();

    @Message("Segments")
    String segments();

    @Message("In no segment")
    String noSegments();

    @Message("Activation progress")
    String activationProgress();

    @Message("Milestone")
    String milestone();

    @Message("Reached")
    String reached();

    @Message("Not reached")
    String notReached();

    @Message("Traits")
    String traits();

    @Message("Members")
    String members();

    @Message("Messages of this account")
    String accountMessages();

    @Message("When")
    String when();

    @Message("What")
    String what();

    @Message("Event")
    String eventKind();

    @Message("Message")
    String messageKind();

    @Message("Milestone")
    String milestoneKind();

    @Message("Nothing has happened yet.")
    String nothingYet();

    @Message("Rules")
    String rulesTitle();

    @Message("Reload the rules folder")
    String reloadRules();

    @Message("File")
    String file();

    @Message("Version")
    String version();

    @Message("Trigger")
    String trigger();

    @Message("Valid")
    String valid();

    @Message("Problems")
    String problems();

    @Message("Messages by status")
    String messagesByStatus();

    @Message("No messages yet")
    String noMessagesYet();

    @Message("Effect on its goal")
    String effect();

    @Message("This rule has no goal, so its effect is not measured.")
    String noGoal();

    @Message("Latest firing")
    String latestRun();

    @Message("Sequence")
    String sequenceFunnel();

    @Message("{entered} entered, {active} inside now")
    String sequenceEntered(long entered, long active);

    @Message("{sent} sent, {skipped} skipped")
    String sequenceStep(long sent, long skipped);

    @Message("Left")
    String sequenceLeft();

    @Message("started {at}")
    String runStarted(String at);

    @Message("{seen} of {total} accounts ({percent} %)")
    String runAccountsOf(long seen, Long total, String percent);

    @Message("{seen} accounts")
    String runAccounts(long seen);

    @Message("finished {at}")
    String runFinished(String at);

    @Message("should finish about {at}")
    String runEndsAbout(String at);

    @Message("running")
    String runRunning();

    @Message("Treated")
    String treated();

    @Message("Held out")
    String heldOut();

    @Message("Conversion rate")
    String conversionRate();

    @Message("{converted} of {accounts} accounts")
    String convertedOf(long converted, long accounts);

    @Message("Lift")
    String lift();

    @Message("95% interval")
    String interval();

    @Message("Verdict")
    String verdict();

    @Message("Preview its templates")
    String previewTemplates();

    @Message("Account id")
    String accountId();

    @Message("User id (optional)")
    String userIdOptional();

    @Message("Preview")
    String previewButton();

    @Message("Preview of {template}")
    String previewTitle(String template);

    @Message("Rule files with problems")
    String fileProblems();

    @Message("Simulation")
    String simulation();

    @Message(
            "As if the rule's trigger happened now for this account: every check, and whether each user would get the message. Nothing is recorded or sent.")
    String simulationHelp();

    @Message("would get the message")
    String wouldSend();

    @Message("would not get the message")
    String wouldNotSend();

    @Message("Line")
    String line();

    @Message("Reports")
    String reportsTitle();

    @Message("Activation funnel")
    String activationFunnel();

    @Message("{activated} of {accounts} accounts activated")
    String activatedOf(long activated, long accounts);

    @Message("Time-to-value by signup cohort")
    String timeToValueByCohort();

    @Message("Cohort")
    String cohort();

    @Message("Accounts")
    String accounts();

    @Message("Median hours")
    String medianHours();

    @Message("25th–75th percentile")
    String quartiles();

    @Message("Engagement")
    String engagement();

    @Message("Sent")
    String sent();

    @Message("Opened")
    String opened();

    @Message("Clicked")
    String clicked();

    @Message("Open rate")
    String openRate();

    @Message("Click rate")
    String clickRate();

    @Message("No data yet.")
    String noData();

    @Message("Effect of rules")
    String rulesEffect();

    @Message("Bad request")
    String errorBadRequest();

    @Message("Not signed in")
    String errorUnauthorized();

    @Message("Not allowed")
    String errorForbidden();

    @Message("Not found")
    String errorNotFound();

    @Message("Not supported")
    String errorNotSupported();

    @Message("Conflict")
    String errorConflict();

    @Message("Cannot be done")
    String errorUnprocessable();

    @Message("Too many requests")
    String errorTooMany();

    @Message("Temporarily unavailable")
    String errorUnavailable();

    @Message("Something went wrong")
    String errorFailed();

    @Message(
            "The form was sent without its security token, or with one from another session (an old tab, or a page from before you signed in again). Nothing was changed: reload the page and try again.")
    String errorCsrf();

    @Message(
            "Template previews, simulations and reloading the rules need a marketer or admin key; your {role} key can read the UI.")
    String errorMarketerOnly(String role);

    @Message("Kizuna could not read the request as it was sent. Check what you entered and try again.")
    String errorBadRequestHelp();

    @Message(
            "This needs an API key, or the key used is unknown or revoked. Sign in to the UI with a csm, marketer or admin key.")
    String errorUnauthorizedHelp();

    @Message("The key you are using does not have the role this needs.")
    String errorForbiddenHelp();

    @Message("There is nothing at this address.")
    String errorNotFoundHelp();

    @Message("This address does not take this kind of request.")
    String errorNotSupportedHelp();

    @Message("This contradicts the current state of what it acts on. Reload and try again.")
    String errorConflictHelp();

    @Message("The request was understood but cannot be carried out as it stands.")
    String errorUnprocessableHelp();

    @Message("This key made more requests than its rate limit allows. Wait a moment and try again.")
    String errorTooManyHelp();

    @Message("Kizuna cannot reach its database just now. Try again in a moment.")
    String errorUnavailableHelp();

    @Message(
            "Kizuna failed to handle this request. If it happens again, tell your operators the time and the detail below.")
    String errorFailedHelp();

    @Message("Technical detail")
    String errorDetail();

    @Message("Back")
    String errorBack();

    /** The retention and revenue page. */
    @Message("Retention")
    String navRetention();

    @Message("Retention and revenue")
    String retentionTitle();

    @Message("From month")
    String monthFrom();

    @Message("To month")
    String monthTo();

    @Message("Segment")
    String segmentFilter();

    @Message("All accounts")
    String allAccounts();

    @Message("Recurring revenue")
    String recurringRevenue();

    @Message("MRR movements")
    String mrrMovements();

    @Message("New, reactivation and expansion MRR above the line; contraction and churned MRR below it")
    String mrrMovementsDesc();

    @Message("New")
    String seriesNew();

    @Message("Reactivation")
    String seriesReactivation();

    @Message("Expansion")
    String seriesExpansion();

    @Message("Contraction")
    String seriesContraction();

    @Message("Churned")
    String seriesChurned();

    @Message("Ending MRR")
    String endingMrr();

    @Message("MRR at the end of each month")
    String endingMrrDesc();

    @Message("Revenue retention")
    String revenueRetention();

    @Message("Gross and net revenue retention month by month; the dashed line is 100%")
    String revenueRetentionDesc();

    @Message("Month")
    String month();

    @Message("Starting MRR")
    String startingMrr();

    @Message("Gained")
    String gainedMrr();

    @Message("Lost")
    String lostMrr();

    @Message("Churned accounts")
    String churnedAccounts();

    @Message("Logo churn")
    String logoChurn();

    @Message("Gross revenue retention")
    String grossRevenueRetention();

    @Message("Net revenue retention")
    String netRevenueRetention();

    @Message("Lifetime value by coverage tier")
    String lifetimeValueByTier();

    @Message("Tier")
    String tier();

    @Message("Paying account-months")
    String payingAccountMonths();

    @Message("ARPA")
    String arpa();

    @Message("Monthly revenue churn")
    String monthlyRevenueChurn();

    @Message("LTV")
    String lifetimeValue();

    @Message("LTV = ARPA × gross margin ({margin}) ÷ monthly revenue churn")
    String lifetimeValueFormula(double margin);

    @Message("no churn in the period")
    String noChurnNoLtv();

    @Message("Cohort retention: accounts still paying")
    String cohortRetention();

    @Message(
            "Each signup month's accounts paying at the end of month 0, 1, 2 … as a share of those paying at the end of month 0.")
    String cohortRetentionHelp();

    @Message("Sign-ups")
    String signups();

    @Message("Paying in month 0")
    String payingInMonthZero();

    @Message("Renewals due in the next 90 days")
    String renewalsDue();

    @Message("Within {days} days: {accounts} accounts, MRR {mrr}")
    String renewalsWithin(int days, long accounts, java.math.BigDecimal mrr);

    @Message("Renewal")
    String renewalDate();

    @Message("Days")
    String daysUntil();

    @Message("Health")
    String healthBand();

    @Message("Health against churn")
    String healthAgainstChurn();

    @Message("Churn by health band")
    String churnByBand();

    @Message(
            "Share of paying accounts that churned within 30 and 90 days of a health snapshot, by the band they were in")
    String churnByBandDesc();

    @Message("Within 30 days")
    String within30Days();

    @Message("Within 90 days")
    String within90Days();

    @Message(
            "AUC of the score (90 days): {auc}. 0.5 tells nothing; 1 ranks every account that stayed above every one that churned.")
    String healthAuc(String auc);

    @Message("Not enough snapshots with a finished 90-day window yet: snapshots are taken on the first of each month.")
    String healthNoAuc();

    @Message("Band")
    String band();

    @Message("Observations")
    String observations();

    @Message("Signal")
    String signal();

    @Message("Churn below 0.5")
    String churnBelowMidpoint();

    @Message("Churn at 0.5 or above")
    String churnAboveMidpoint();

    @Message("Japan's law and consent")
    String complianceAndConsent();

    @Message("特定電子メール法 (Japan's Act on Specified Electronic Mail)")
    String complianceCheck();

    @Message("Not checked: not a commercial email, or the check was off (kizuna.compliance.jp=off).")
    String complianceNotChecked();

    @Message(
            "Every item was in the email: the sender's name, an unsubscribe link with the statement that the recipient may refuse, the postal address and a contact.")
    String complianceComplete();

    @Message("Missing when the email was decided:")
    String complianceMissing();

    @Message(
            "{#when code}{#is 'unsubscribe_link'}an unsubscribe link (受信拒否の通知先){#is 'sender_name'}the sender's name (送信者の氏名又は名称){#is 'postal_address'}the sender's postal address (住所){#is 'contact'}a contact for complaints and enquiries (苦情・問合せ先){#else}{code}{/when}")
    String complianceItem(String code);

    @Message("Consent on record")
    String consentOnRecord();

    @Message("'{category}' emails do not need opt-in.")
    String consentNotNeeded(String category);

    @Message("No consent to '{category}' emails is on record.")
    String consentNone(String category);

    @Message("Consent to '{category}' emails given {at} ({source})")
    String consentGiven(String category, String at, String source);

    @Message("Consent to '{category}' emails withdrawn {at} ({source})")
    String consentWithdrawn(String category, String at, String source);

    @Message("Wording shown")
    String consentWording();

    @Message("Form")
    String consentForm();

    @Message("This email needs the user's opt-in to its category.")
    String consentNeeded();
}
