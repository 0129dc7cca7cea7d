package dev.kizuna.reports;

import dev.kizuna.audit.AuditLog;
import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Effect, engagement, activation, revenue and renewal reports. {@code from}/{@code to} narrow each
 * to a period (months, for the revenue reports).
 */
@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reports")
public class ReportsResource {

    private static final Set<String> CHANNELS = Set.of("email", "inapp", "csm", "webhook", "slack");

    private final RuleEffects effects;
    private final EngagementReport engagement;
    private final ActivationReport activation;
    private final Attribution attribution;
    private final RevenueReport revenue;
    private final RenewalsReport renewals;
    private final HealthCalibration calibration;
    private final HealthSnapshots snapshots;
    private final AuditLog audit;

    ReportsResource(
            RuleEffects effects,
            EngagementReport engagement,
            ActivationReport activation,
            Attribution attribution,
            RevenueReport revenue,
            RenewalsReport renewals,
            HealthCalibration calibration,
            HealthSnapshots snapshots,
            AuditLog audit) {
        this.effects = effects;
        this.engagement = engagement;
        this.activation = activation;
        this.attribution = attribution;
        this.revenue = revenue;
        this.renewals = renewals;
        this.calibration = calibration;
        this.snapshots = snapshots;
        this.audit = audit;
    }

    /**
     * An attribution pass now, rather than at the next interval (admin only): answers once it is
     * done, with what it looked at and decided and how long it took.
     */
    @POST
    @Path("/attribution/run")
    @Operation(
            summary = "Run an attribution pass now",
            description =
                    "Follows the messages of rules with a goal now rather than at the next interval, and answers when done "
                            + "with the messages it examined, converted, did not convert and still follows, whether it was full and how "
                            + "long it took. The pass is audited.")
    @APIResponse(responseCode = "200", description = "What the pass examined and decided")
    public Attribution.Pass attribute() {
        Attribution.Pass pass = attribution.run();
        audit.record(
                "reports.attribution",
                "attribution",
                pass.examined() + " messages examined" + (pass.full() ? ", all followed" : ""));
        return pass;
    }

    public record RulesReport(String period, List<RuleEffects.RuleEffect> rules) {}

    public record EngagementRows(String period, List<EngagementReport.Row> rows) {}

    @GET
    @Path("/rules")
    @Operation(
            summary = "The effect of every rule with a goal",
            description =
                    "Per rule in force with a goal: treated and held-out accounts, conversion rates, lift, 95% interval, "
                            + "p-value and verdict, for messages decided in the period.")
    @APIResponse(responseCode = "200", description = "The period and each rule's effect")
    @APIResponse(responseCode = "400", description = "from or to is not a date or an instant, or to is not after from")
    public RulesReport rules(@QueryParam("from") String from, @QueryParam("to") String to) {
        Period period = Period.parse(from, to);
        return new RulesReport(describe(period), effects.all(period));
    }

    @GET
    @Path("/rules/{ruleId}")
    @Operation(
            summary = "The effect of one rule",
            description = "The same as for every rule, with one row per segment.")
    @APIResponse(responseCode = "200", description = "The rule's effect, overall and per segment")
    @APIResponse(responseCode = "400", description = "from or to is not a date or an instant, or to is not after from")
    @APIResponse(responseCode = "404", description = "No rule with this id is in force, or it has no goal")
    public RuleEffects.RuleEffect rule(
            @PathParam("ruleId") String ruleId, @QueryParam("from") String from, @QueryParam("to") String to) {
        Period period = Period.parse(from, to);
        RuleEffects.RuleEffect effect = effects.one(ruleId, period)
                .orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        if (effect.goal() == null) {
            throw ProblemException.notFound(
                    "rule '" + ruleId + "' has no goal, so there is no effect to report: add goal: to its file");
        }
        return effect;
    }

    @GET
    @Path("/engagement")
    @Operation(
            summary = "Engagement by rule, template, channel and locale",
            description =
                    "Messages, sent, delivered, bounced, failed, held out, capped, suppressed, queued, opened, clicked, "
                            + "unsubscribed, seen, dismissed, and open and click rates; filtered by rule and channel.")
    @APIResponse(responseCode = "200", description = "The period and its rows")
    @APIResponse(
            responseCode = "400",
            description =
                    "from or to is not a date or an instant, or channel is not email, inapp, csm, webhook or slack")
    public EngagementRows engagement(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("rule") String rule,
            @QueryParam("channel") String channel) {
        Period period = Period.parse(from, to);
        String wanted =
                channel == null || channel.isBlank() ? null : channel.strip().toLowerCase(Locale.ROOT);
        if (wanted != null && !CHANNELS.contains(wanted)) {
            throw ProblemException.badField(
                    "channel", "must be email, inapp, csm, webhook or slack, was '" + channel + "'");
        }
        return new EngagementRows(
                describe(period),
                engagement.rows(period, rule == null || rule.isBlank() ? null : rule.strip(), wanted));
    }

    @GET
    @Path("/activation")
    @Operation(
            summary = "Activation",
            description =
                    "The milestone funnel of accounts that signed up in the period, time to value overall, by signup week and "
                            + "by segment, and the share activated within the activation window.")
    @APIResponse(responseCode = "200", description = "The activation report")
    @APIResponse(responseCode = "400", description = "from or to is not a date or an instant, or to is not after from")
    public ActivationReport.Report activation(@QueryParam("from") String from, @QueryParam("to") String to) {
        return activation.report(Period.parse(from, to));
    }

    /** Recurring revenue month by month, of all accounts or of one segment's (as they stood each month). */
    @GET
    @Path("/revenue")
    @Operation(
            summary = "Recurring revenue by month",
            description =
                    "For each month (the last 12 complete months unless from and to say otherwise): starting and ending MRR, "
                            + "new, reactivation, expansion, contraction and churned revenue, logo and revenue churn, GRR and NRR; of all "
                            + "accounts, or of one segment's as they stood each month.")
    @APIResponse(responseCode = "200", description = "Revenue month by month")
    @APIResponse(
            responseCode = "400",
            description = "from or to is not a month or a date, the range is too long, or the segment is not defined")
    public RevenueReport.Report revenue(
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("segment") String segment) {
        return revenue.months(from, to, segment == null || segment.isBlank() ? null : segment.strip());
    }

    @GET
    @Path("/revenue/cohorts")
    @Operation(
            summary = "Retention by signup cohort",
            description =
                    "Accounts by signup month: sign-ups, and for the signup month and every month after, the accounts paying "
                            + "and their MRR, with logo and revenue retention as shares of the signup month's.")
    @APIResponse(responseCode = "200", description = "The cohorts")
    @APIResponse(
            responseCode = "400",
            description =
                    "from or to is not a month or a date, to is before from, or the range is longer than a report covers")
    public RevenueReport.Cohorts cohorts(@QueryParam("from") String from, @QueryParam("to") String to) {
        return revenue.cohorts(from, to);
    }

    @GET
    @Path("/revenue/lifetime-value")
    @Operation(
            summary = "Lifetime value",
            description =
                    "For all accounts and each coverage tier over the range: ARPA, monthly revenue churn, and LTV = ARPA × gross "
                            + "margin ÷ monthly revenue churn, every input shown; no LTV when nothing churned.")
    @APIResponse(responseCode = "200", description = "The lifetime values")
    @APIResponse(
            responseCode = "400",
            description =
                    "from or to is not a month or a date, to is before from, or the range is longer than a report covers")
    public RevenueReport.LifetimeValues lifetimeValue(@QueryParam("from") String from, @QueryParam("to") String to) {
        return revenue.lifetimeValues(from, to);
    }

    @GET
    @Path("/renewals")
    @Operation(
            summary = "Renewals due",
            description =
                    "Accounts whose renewal_date trait is in the next 90 days, soonest first, with plan, MRR, health and owner "
                            + "CSM, and per window of 30, 60 and 90 days how many and the MRR they carry.")
    @APIResponse(responseCode = "200", description = "The renewals due")
    public RenewalsReport.Renewals renewals() {
        return renewals.due();
    }

    /** The health score against the churn that followed its snapshots taken in the period. */
    @GET
    @Path("/health")
    @Operation(
            summary = "The health score against churn",
            description =
                    "Of the accounts paying at the health snapshots taken in the period, per band those that churned within 30 "
                            + "and 90 days after, the AUC of the score, and each signal's churn: whether health.yaml separates accounts that "
                            + "stay from accounts that leave.")
    @APIResponse(responseCode = "200", description = "The calibration of the health score")
    @APIResponse(responseCode = "400", description = "from or to is not a date or an instant, or to is not after from")
    public HealthCalibration.Calibration health(@QueryParam("from") String from, @QueryParam("to") String to) {
        return calibration.report(Period.parse(from, to));
    }

    /** A health snapshot now, rather than at the next scheduled one (admin only). */
    @POST
    @Path("/health/snapshots")
    @Operation(
            summary = "Take a health snapshot now",
            description =
                    "Records every account's health score, band and signal values now rather than at the next scheduled "
                            + "snapshot. The snapshot is audited.")
    @APIResponse(responseCode = "200", description = "How many accounts the snapshot holds and when it was taken")
    public HealthSnapshots.Taken snapshot() {
        HealthSnapshots.Taken taken = snapshots.take();
        audit.record("reports.health-snapshot", "health", taken.accounts() + " accounts at " + taken.takenAt());
        return taken;
    }

    private static String describe(Period period) {
        String from = period.from().equals(Period.EARLIEST) ? "" : period.from().toString();
        String to = period.to().equals(Period.LATEST) ? "" : period.to().toString();
        return from.isEmpty() && to.isEmpty() ? "all" : from + "/" + to;
    }
}
