package dev.kizuna.reports;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.audit.AuditLog;
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

/**
 * Effect, engagement, activation, revenue and renewal reports. {@code from}/{@code to} narrow each
 * to a period (months, for the revenue reports).
 */
@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
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

    ReportsResource(RuleEffects effects, EngagementReport engagement, ActivationReport activation, Attribution attribution,
            RevenueReport revenue, RenewalsReport renewals, HealthCalibration calibration, HealthSnapshots snapshots, AuditLog audit) {
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
    public Attribution.Pass attribute() {
        Attribution.Pass pass = attribution.run();
        audit.record("reports.attribution", "attribution", pass.examined() + " messages examined" + (pass.full() ? ", all followed" : ""));
        return pass;
    }

    public record RulesReport(String period, List<RuleEffects.RuleEffect> rules) {}

    public record EngagementRows(String period, List<EngagementReport.Row> rows) {}

    @GET
    @Path("/rules")
    public RulesReport rules(@QueryParam("from") String from, @QueryParam("to") String to) {
        Period period = Period.parse(from, to);
        return new RulesReport(describe(period), effects.all(period));
    }

    @GET
    @Path("/rules/{ruleId}")
    public RuleEffects.RuleEffect rule(@PathParam("ruleId") String ruleId, @QueryParam("from") String from, @QueryParam("to") String to) {
        Period period = Period.parse(from, to);
        RuleEffects.RuleEffect effect = effects.one(ruleId, period)
                .orElseThrow(() -> ProblemException.notFound("no rule '" + ruleId + "' is in force"));
        if (effect.goal() == null) {
            throw ProblemException.notFound("rule '" + ruleId + "' has no goal, so there is no effect to report: add goal: to its file");
        }
        return effect;
    }

    @GET
    @Path("/engagement")
    public EngagementRows engagement(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("rule") String rule,
            @QueryParam("channel") String channel) {
        Period period = Period.parse(from, to);
        String wanted = channel == null || channel.isBlank() ? null : channel.strip().toLowerCase(Locale.ROOT);
        if (wanted != null && !CHANNELS.contains(wanted)) {
            throw ProblemException.badField("channel", "must be email, inapp, csm, webhook or slack, was '" + channel + "'");
        }
        return new EngagementRows(describe(period), engagement.rows(period, rule == null || rule.isBlank() ? null : rule.strip(), wanted));
    }

    @GET
    @Path("/activation")
    public ActivationReport.Report activation(@QueryParam("from") String from, @QueryParam("to") String to) {
        return activation.report(Period.parse(from, to));
    }

    /** Recurring revenue month by month, of all accounts or of one segment's (as they stood each month). */
    @GET
    @Path("/revenue")
    public RevenueReport.Report revenue(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("segment") String segment) {
        return revenue.months(from, to, segment == null || segment.isBlank() ? null : segment.strip());
    }

    @GET
    @Path("/revenue/cohorts")
    public RevenueReport.Cohorts cohorts(@QueryParam("from") String from, @QueryParam("to") String to) {
        return revenue.cohorts(from, to);
    }

    @GET
    @Path("/revenue/lifetime-value")
    public RevenueReport.LifetimeValues lifetimeValue(@QueryParam("from") String from, @QueryParam("to") String to) {
        return revenue.lifetimeValues(from, to);
    }

    @GET
    @Path("/renewals")
    public RenewalsReport.Renewals renewals() {
        return renewals.due();
    }

    /** The health score against the churn that followed its snapshots taken in the period. */
    @GET
    @Path("/health")
    public HealthCalibration.Calibration health(@QueryParam("from") String from, @QueryParam("to") String to) {
        return calibration.report(Period.parse(from, to));
    }

    /** A health snapshot now, rather than at the next scheduled one (admin only). */
    @POST
    @Path("/health/snapshots")
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
