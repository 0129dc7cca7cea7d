package dev.kizuna.ui;

import dev.kizuna.reports.ActivationReport;
import dev.kizuna.reports.EngagementReport;
import dev.kizuna.reports.Period;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Activation funnel, time-to-value by signup cohort, and engagement per rule and template, drawn with CSS. */
@Path("/ui/reports")
public class ReportsPage {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance reports(
                Chrome chrome,
                String from,
                String to,
                ActivationReport.Report activation,
                List<FunnelBar> funnel,
                List<CohortRow> cohorts,
                List<EngagementRow> engagement);
    }

    /** A funnel step with its share of all accounts as a bar width in percent. */
    record FunnelBar(String milestone, String description, long accounts, String share, long width) {}

    /**
     * A cohort's time-to-value: the 25th–75th percentile as a bar and the median as a mark, placed
     * in percent of the slowest cohort's 75th percentile so that cohorts compare at a glance.
     */
    record CohortRow(
            String cohort,
            long accounts,
            long activated,
            String median,
            String quartiles,
            long barStart,
            long barWidth,
            long medianAt) {}

    record EngagementRow(
            String rule,
            String template,
            String channel,
            String locale,
            long messages,
            long sent,
            long opened,
            long clicked,
            String openRate,
            String clickRate,
            long openWidth,
            long clickWidth) {}

    private final ActivationReport activation;
    private final EngagementReport engagement;
    private final SignedIn signedIn;

    ReportsPage(ActivationReport activation, EngagementReport engagement, SignedIn signedIn) {
        this.activation = activation;
        this.engagement = engagement;
        this.signedIn = signedIn;
    }

    @GET
    public Response show(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        Period period = Period.parse(Html.blankToNull(from), Html.blankToNull(to));
        ActivationReport.Report report = activation.report(period);
        List<FunnelBar> funnel = report.funnel().stream()
                .map(step -> new FunnelBar(
                        step.milestone(),
                        step.description(),
                        step.accounts(),
                        Html.percent(step.share()),
                        widthOf(step.share())))
                .toList();
        double slowest = report.byCohort().stream()
                .map(cohort -> cohort.timeToValue().p75Hours())
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        List<CohortRow> cohorts = report.byCohort().stream()
                .map(cohort -> cohortRow(cohort, slowest))
                .toList();
        List<EngagementRow> rows = engagement.rows(period, null, null).stream()
                .map(row -> new EngagementRow(
                        row.rule(),
                        row.template(),
                        row.channel(),
                        row.locale(),
                        row.messages(),
                        row.sent(),
                        row.opened(),
                        row.clicked(),
                        Html.percent(row.openRate()),
                        Html.percent(row.clickRate()),
                        widthOf(row.openRate()),
                        widthOf(row.clickRate())))
                .toList();
        return Html.page(
                Templates.reports(
                        Chrome.signedIn(signedIn, locale, zone, uri, "reports"),
                        Html.blankToNull(from),
                        Html.blankToNull(to),
                        report,
                        funnel,
                        cohorts,
                        rows),
                locale);
    }

    private static CohortRow cohortRow(ActivationReport.CohortTimeToValue cohort, double slowest) {
        ActivationReport.TimeToValue ttv = cohort.timeToValue();
        if (ttv == null || ttv.medianHours() == null || slowest <= 0) {
            return new CohortRow(cohort.cohort(), cohort.accounts(), cohort.activated(), "–", "–", 0, 0, 0);
        }
        long start = Math.round(ttv.p25Hours() / slowest * 100);
        long end = Math.round(ttv.p75Hours() / slowest * 100);
        return new CohortRow(
                cohort.cohort(),
                cohort.accounts(),
                cohort.activated(),
                hours(ttv.medianHours()),
                hours(ttv.p25Hours()) + " – " + hours(ttv.p75Hours()),
                start,
                Math.max(1, end - start),
                Math.round(ttv.medianHours() / slowest * 100));
    }

    private static String hours(Double hours) {
        return String.format(Locale.ROOT, "%.1f h", hours);
    }

    private static long widthOf(Double share) {
        return share == null ? 0 : Math.round(share * 100);
    }
}
