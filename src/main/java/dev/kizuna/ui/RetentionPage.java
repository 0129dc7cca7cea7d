package dev.kizuna.ui;

import dev.kizuna.reports.HealthCalibration;
import dev.kizuna.reports.Period;
import dev.kizuna.reports.RenewalsReport;
import dev.kizuna.reports.RevenueReport;
import dev.kizuna.segments.ProfileCatalog;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Retention and revenue: MRR movements, gross and net revenue retention and ending MRR month by
 * month (charts drawn on the server), lifetime value by coverage tier, cohort retention, renewals
 * due and the health score against the churn that followed.
 */
@Path("/ui/retention")
public class RetentionPage {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance retention(
                Chrome chrome,
                String from,
                String to,
                String segment,
                List<String> segments,
                RevenueReport.Report revenue,
                List<MonthRow> months,
                RawString movementsChart,
                RawString endingChart,
                RawString retentionChart,
                List<RevenueReport.TierValue> tiers,
                double grossMargin,
                List<CohortRow> cohorts,
                int cohortMonths,
                RenewalsReport.Renewals renewals,
                HealthCalibration.Calibration health,
                RawString healthChart);
    }

    /** A month's figures as shown: money without decimals, rates in percent. */
    record MonthRow(
            String month,
            String starting,
            String gained,
            String lost,
            String ending,
            long churnedAccounts,
            String logoChurn,
            String grossRetention,
            String netRetention) {}

    /** A cohort's share still paying after each month, with the shade of its cell (0–100). */
    record CohortRow(String cohort, long accounts, long paying, List<Cell> cells) {}

    record Cell(String share, long shade) {}

    private final RevenueReport revenue;
    private final RenewalsReport renewals;
    private final HealthCalibration calibration;
    private final ProfileCatalog profiles;
    private final SignedIn signedIn;

    RetentionPage(
            RevenueReport revenue,
            RenewalsReport renewals,
            HealthCalibration calibration,
            ProfileCatalog profiles,
            SignedIn signedIn) {
        this.revenue = revenue;
        this.renewals = renewals;
        this.calibration = calibration;
        this.profiles = profiles;
        this.signedIn = signedIn;
    }

    @GET
    public Response show(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("segment") String segment,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Locale locale = UiLanguage.of(headers);
        ZoneId zone = UiTimeZone.of(headers, locale);
        UiText text = MessageBundles.get(UiText.class, Localized.Literal.of(locale.getLanguage()));
        String chosen = Html.blankToNull(segment);
        RevenueReport.Report report = revenue.months(Html.blankToNull(from), Html.blankToNull(to), chosen);
        List<String> labels =
                report.months().stream().map(RevenueReport.Month::month).toList();
        List<MonthRow> months = report.months().stream().map(RetentionPage::row).toList();

        RawString movements = SvgChart.stacked(
                "mrr-movements",
                text.mrrMovements(),
                text.mrrMovementsDesc(),
                labels,
                List.of(
                        series(text.seriesNew(), "s-new", report.months(), RevenueReport.Month::newMrr),
                        series(
                                text.seriesReactivation(),
                                "s-reactivation",
                                report.months(),
                                RevenueReport.Month::reactivationMrr),
                        series(
                                text.seriesExpansion(),
                                "s-expansion",
                                report.months(),
                                RevenueReport.Month::expansionMrr)),
                List.of(
                        series(
                                text.seriesContraction(),
                                "s-contraction",
                                report.months(),
                                RevenueReport.Month::contractionMrr),
                        series(text.seriesChurned(), "s-churned", report.months(), RevenueReport.Month::churnedMrr)),
                SvgChart::money);
        RawString ending = SvgChart.grouped(
                "mrr-ending",
                text.endingMrr(),
                text.endingMrrDesc(),
                labels,
                List.of(series(text.endingMrr(), "s-ending", report.months(), RevenueReport.Month::endingMrr)),
                SvgChart::money);
        RawString retention = SvgChart.lines(
                "revenue-retention",
                text.revenueRetention(),
                text.revenueRetentionDesc(),
                labels,
                List.of(
                        new SvgChart.Series(
                                "GRR",
                                "s-grr",
                                report.months().stream()
                                        .map(RevenueReport.Month::grossRevenueRetention)
                                        .toList()),
                        new SvgChart.Series(
                                "NRR",
                                "s-nrr",
                                report.months().stream()
                                        .map(RevenueReport.Month::netRevenueRetention)
                                        .toList())),
                1.0,
                SvgChart::percent);

        RevenueReport.LifetimeValues values = revenue.lifetimeValues(Html.blankToNull(from), Html.blankToNull(to));
        RevenueReport.Cohorts cohorts = revenue.cohorts(Html.blankToNull(from), Html.blankToNull(to));
        int cohortMonths = cohorts.cohorts().stream()
                .mapToInt(cohort -> cohort.paying().size())
                .max()
                .orElse(0);
        List<CohortRow> cohortRows =
                cohorts.cohorts().stream().map(RetentionPage::cohortRow).toList();

        HealthCalibration.Calibration health = calibration.report(Period.ALL);
        RawString healthChart = SvgChart.grouped(
                "health-bands",
                text.churnByBand(),
                text.churnByBandDesc(),
                health.bands().stream().map(HealthCalibration.BandOutcome::band).toList(),
                List.of(
                        new SvgChart.Series(
                                text.within30Days(),
                                "s-short",
                                health.bands().stream()
                                        .map(HealthCalibration.BandOutcome::churnShare30)
                                        .toList()),
                        new SvgChart.Series(
                                text.within90Days(),
                                "s-long",
                                health.bands().stream()
                                        .map(HealthCalibration.BandOutcome::churnShare90)
                                        .toList())),
                SvgChart::percent);

        List<String> segments =
                new ArrayList<>(profiles.definitions().segments().keySet());
        return Html.page(
                Templates.retention(
                        Chrome.signedIn(signedIn, locale, zone, uri, "retention"),
                        report.from(),
                        report.to(),
                        chosen,
                        segments,
                        report,
                        months,
                        movements,
                        ending,
                        retention,
                        values.tiers(),
                        values.grossMargin(),
                        cohortRows,
                        cohortMonths,
                        renewals.due(),
                        health,
                        healthChart),
                locale);
    }

    private static SvgChart.Series series(
            String name,
            String cssClass,
            List<RevenueReport.Month> months,
            java.util.function.Function<RevenueReport.Month, BigDecimal> amount) {
        return new SvgChart.Series(
                name,
                cssClass,
                months.stream().map(month -> amount.apply(month).doubleValue()).toList());
    }

    private static MonthRow row(RevenueReport.Month month) {
        BigDecimal gained = month.newMrr().add(month.reactivationMrr()).add(month.expansionMrr());
        BigDecimal lost = month.contractionMrr().add(month.churnedMrr());
        return new MonthRow(
                month.month(),
                SvgChart.money(month.startingMrr().doubleValue()),
                SvgChart.money(gained.doubleValue()),
                SvgChart.money(lost.doubleValue()),
                SvgChart.money(month.endingMrr().doubleValue()),
                month.churnedAccounts(),
                Html.percent(month.logoChurnRate()),
                Html.percent(month.grossRevenueRetention()),
                Html.percent(month.netRevenueRetention()));
    }

    private static CohortRow cohortRow(RevenueReport.Cohort cohort) {
        List<Cell> cells = new ArrayList<>();
        for (Double share : cohort.logoRetention()) {
            cells.add(new Cell(Html.percent(share), share == null ? 0 : Math.round(Math.min(1, share) * 100)));
        }
        return new CohortRow(
                cohort.cohort(),
                cohort.accounts(),
                cohort.paying().isEmpty() ? 0 : cohort.paying().get(0),
                cells);
    }
}
