package dev.kizuna.reports;

import dev.kizuna.common.JsonText;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Renewals due in the next 90 days (the {@code renewal_date} trait, UTC), soonest first, each with
 * the account's health, so that a CS team sees which renewals are at risk while there is time.
 */
@ApplicationScoped
public class RenewalsReport {

    private static final int HORIZON_DAYS = 90;

    private final AgroalDataSource dataSource;
    private final Clock clock;

    RenewalsReport(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A renewal, in the window of 30, 60 or 90 days it falls in. */
    public record Renewal(
            String accountId,
            String name,
            String plan,
            BigDecimal mrr,
            LocalDate renewalDate,
            long daysUntil,
            int withinDays,
            String healthBand,
            Integer healthScore,
            String ownerCsm) {}

    /** The renewals and, per window, how many and the MRR they carry (each window includes the shorter ones). */
    public record Renewals(LocalDate today, List<Window> windows, List<Renewal> renewals) {}

    public record Window(int days, long accounts, BigDecimal mrr) {}

    public Renewals due() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<Renewal> renewals = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        select id, traits, plan, mrr, renewal_date, health_band, health_score, owner_csm from account
                         where renewal_date >= ? and renewal_date <= ? order by renewal_date, id""")) {
            statement.setObject(1, today);
            statement.setObject(2, today.plusDays(HORIZON_DAYS));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    LocalDate date = rows.getObject(5, LocalDate.class);
                    long days = ChronoUnit.DAYS.between(today, date);
                    int score = rows.getInt(7);
                    Integer healthScore = rows.wasNull() ? null : score;
                    renewals.add(new Renewal(
                            rows.getString(1),
                            JsonText.readObject(rows.getString(2)).get("name") instanceof String name ? name : null,
                            rows.getString(3),
                            rows.getBigDecimal(4),
                            date,
                            days,
                            days <= 30 ? 30 : days <= 60 ? 60 : 90,
                            rows.getString(6),
                            healthScore,
                            rows.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the renewals could not be read", e);
        }
        List<Window> windows = new ArrayList<>();
        for (int days : List.of(30, 60, 90)) {
            List<Renewal> within = renewals.stream()
                    .filter(renewal -> renewal.daysUntil() <= days)
                    .toList();
            windows.add(new Window(
                    days,
                    within.size(),
                    within.stream()
                            .map(Renewal::mrr)
                            .filter(java.util.Objects::nonNull)
                            .reduce(BigDecimal.ZERO, BigDecimal::add)));
        }
        return new Renewals(today, windows, renewals);
    }
}
