package dev.appstrate.desktop.client;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cron preview computed here, for a server without {@code POST /api/schedules/preview} (the original):
 * the same cron-utils definition, messages and description as our server's {@code CronRule}
 * ({@code LocalCronTest} compares the two), so both modes show the same text.
 */
final class LocalCron {
    private static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
            .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
            .withSupportedNicknameWeekly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
            .withSupportedNicknameHourly()
            .instance();
    private static final CronParser PARSER = new CronParser(DEFINITION);

    private LocalCron() {
    }

    /** A bad expression or zone is an {@link ApiProblem} 400 naming the field, as the server's preview answers. */
    static SchedulesApi.Preview preview(String expression, String timezone, Instant from, int count) {
        ZoneId zone = zone(timezone);
        if (expression == null || expression.isBlank()) {
            throw invalid("cron_expression is required", "cron_expression");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression.trim().replaceAll("\\s+", " "));
            cron.validate();
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid cron expression: " + e.getMessage(), "cron_expression");
        }
        ExecutionTime times = ExecutionTime.forCron(cron);
        if (times.nextExecution(ZonedDateTime.ofInstant(Instant.EPOCH, zone)).isEmpty()) {
            throw invalid("Invalid cron expression: it never fires", "cron_expression");
        }
        List<String> next = new ArrayList<>(count);
        ZonedDateTime cursor = ZonedDateTime.ofInstant(from, zone);
        while (next.size() < count) {
            Optional<ZonedDateTime> t = times.nextExecution(cursor);
            if (t.isEmpty()) {
                break;
            }
            cursor = t.get();
            next.add(cursor.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        return new SchedulesApi.Preview(CronDescriptor.instance(Locale.ENGLISH).describe(cron), List.copyOf(next));
    }

    /** The English description of a valid expression, "" otherwise (the original's schedules carry none). */
    static String describe(String expression) {
        try {
            Cron cron = PARSER.parse(expression.trim().replaceAll("\\s+", " "));
            cron.validate();
            return CronDescriptor.instance(Locale.ENGLISH).describe(cron);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            throw invalid("timezone must be an IANA time zone such as Europe/Paris", "timezone");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw invalid("Unknown timezone '" + timezone + "': use an IANA name such as Europe/Paris", "timezone");
        }
    }

    private static ApiProblem invalid(String detail, String param) {
        return new ApiProblem(400, "invalid_request", "Invalid Request", detail, List.of(), param);
    }
}
