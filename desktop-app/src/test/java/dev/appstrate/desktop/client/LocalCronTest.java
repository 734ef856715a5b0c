package dev.appstrate.desktop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.schedule.CronRule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The preview computed in the app for a server without one says exactly what our server's preview says:
 * the same description, the same fire times in the zone, the same refusal for a bad expression or zone.
 */
class LocalCronTest {
    private static final Instant FROM = Instant.parse("2026-03-28T12:00:00Z"); // the eve of a DST change in Europe

    @ParameterizedTest
    @CsvSource({"0 9 * * 1-5,Europe/Paris", "30 18 * * *,America/New_York", "@daily,UTC", "*/15 2-3 * * 0,Europe/Paris",
            "0 0 1 */2 *,Asia/Tokyo", "@hourly,Australia/Lord_Howe", "0 12 * JAN-MAR MON,UTC"})
    void describesAndListsTheSameFireTimesAsTheServer(String expression, String zone) {
        CronRule server = CronRule.of(expression, zone);
        SchedulesApi.Preview local = LocalCron.preview(expression, zone, FROM, 5);
        assertEquals(server.describe(), local.description());
        assertEquals(server.upcoming(FROM, 5).stream().map(t -> t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).toList(),
                local.nextLocal());
        assertEquals(server.describe(), LocalCron.describe(expression), "a listed schedule is described the same way");
    }

    @Test
    void refusesWhatTheServerRefusesWithTheSameWordsAndField() {
        for (List<String> bad : List.of(List.of("61 * * * *", "UTC"), List.of("not a cron", "UTC"), List.of("0 0 31 2 *", "UTC"),
                List.of("", "UTC"), List.of("0 9 * * *", "Mars/Olympus"), List.of("0 9 * * *", ""))) {
            ApiException server = assertThrows(ApiException.class, () -> CronRule.of(bad.get(0), bad.get(1)));
            ApiProblem local = assertThrows(ApiProblem.class, () -> LocalCron.preview(bad.get(0), bad.get(1), FROM, 5));
            assertEquals(400, local.status());
            assertEquals(server.getMessage(), local.detail(), bad.toString());
            assertEquals(bad.get(1).isEmpty() || bad.get(1).startsWith("Mars") ? "timezone" : "cron_expression", local.param());
        }
    }
}
