package dev.appstrate.server.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.appstrate.server.http.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A cron expression in a time zone. The syntax is cron-utils' UNIX definition (5 fields: minute, hour,
 * day of month, month, day of week 0-7 with names) plus the {@code @hourly}-style nicknames the original's
 * cron-parser accepts. Fire times, including daylight-saving gaps and overlaps, are cron-utils' own.
 */
public final class CronRule {
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

    private final String expression;
    private final ZoneId zone;
    private final Cron cron;
    private final ExecutionTime executionTime;

    private CronRule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
        this.executionTime = ExecutionTime.forCron(cron);
    }

    /** Parses and validates; a bad expression or zone is a 400 naming the offending field. */
    public static CronRule of(String expression, String timezone) {
        ZoneId zone = zone(timezone);
        if (expression == null || expression.isBlank()) {
            throw ApiException.invalidRequest("cron_expression is required", "cron_expression");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression.trim().replaceAll("\\s+", " "));
            cron.validate();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Invalid cron expression: " + e.getMessage(), "cron_expression");
        }
        CronRule rule = new CronRule(expression.trim(), zone, cron);
        if (rule.nextAfter(Instant.EPOCH).isEmpty()) {
            throw ApiException.invalidRequest("Invalid cron expression: it never fires", "cron_expression");
        }
        return rule;
    }

    static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            throw ApiException.invalidRequest("timezone must be an IANA time zone such as Europe/Paris", "timezone");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw ApiException.invalidRequest("Unknown timezone '" + timezone + "': use an IANA name such as Europe/Paris",
                    "timezone");
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code instant}; empty when the expression never fires again. */
    public Optional<Instant> nextAfter(Instant instant) {
        return executionTime.nextExecution(ZonedDateTime.ofInstant(instant, zone)).map(ZonedDateTime::toInstant);
    }

    /** The last fire time strictly before {@code instant}; empty when there is none. */
    public Optional<Instant> previousBefore(Instant instant) {
        return executionTime.lastExecution(ZonedDateTime.ofInstant(instant, zone)).map(ZonedDateTime::toInstant);
    }

    /** The next {@code count} fire times after {@code instant}, in this rule's zone. */
    public List<ZonedDateTime> upcoming(Instant instant, int count) {
        List<ZonedDateTime> out = new ArrayList<>(count);
        ZonedDateTime cursor = ZonedDateTime.ofInstant(instant, zone);
        while (out.size() < count) {
            Optional<ZonedDateTime> next = executionTime.nextExecution(cursor);
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get();
            out.add(cursor);
        }
        return out;
    }

    /** English description, e.g. "at 09:00 every day between Monday and Friday". */
    public String describe() {
        return CronDescriptor.instance(Locale.ENGLISH).describe(cron);
    }
}
