package dev.appstrate.server.runs;

import java.util.List;

/**
 * Which runs of an application a list shows (GET /api/runs, an agent's runs, a schedule's runs), and whose: with
 * {@code endUserId} only that end-user's runs (an impersonated end-user, {@code Appstrate-User}), with {@code userId}
 * only that member's own runs, none started as an end-user ({@code user=me}); null for every run of the application.
 */
public record RunFilter(String applicationId, String packageId, String status, String startDate, String endDate, String kind,
                        String scheduleId, String userId, String endUserId) {

    /** GET /api/runs's filters. */
    public static RunFilter of(String applicationId, String packageId, String status, String startDate, String endDate, String kind) {
        return new RunFilter(applicationId, packageId, status, startDate, endDate, kind, null, null, null);
    }

    /** The runs of one agent. */
    public static RunFilter ofAgent(String applicationId, String packageId) {
        return new RunFilter(applicationId, packageId, null, null, null, null, null, null, null);
    }

    /** The runs a schedule started. */
    public static RunFilter ofSchedule(String applicationId, String scheduleId) {
        return new RunFilter(applicationId, null, null, null, null, null, scheduleId, null, null);
    }

    /** Only that end-user's runs (the rest of the filter kept). */
    public RunFilter ofEndUser(String endUser) {
        return new RunFilter(applicationId, packageId, status, startDate, endDate, kind, scheduleId, null, endUser);
    }

    /** Only that member's own runs (the rest of the filter kept). */
    public RunFilter ofUser(String user) {
        return new RunFilter(applicationId, packageId, status, startDate, endDate, kind, scheduleId, user, null);
    }

    /** The SQL {@code WHERE} clause, its arguments added to {@code args}. */
    String where(List<Object> args) {
        StringBuilder w = new StringBuilder(" WHERE application_id=?");
        args.add(applicationId);
        if (endUserId != null) {
            w.append(" AND end_user_id=?");
            args.add(endUserId);
        }
        if (userId != null) {
            w.append(" AND user_id=? AND end_user_id IS NULL");
            args.add(userId);
        }
        if (packageId != null) {
            w.append(" AND package_id=?");
            args.add(packageId);
        }
        if (scheduleId != null) {
            w.append(" AND schedule_id=?");
            args.add(scheduleId);
        }
        if (status != null) {
            w.append(" AND status=?");
            args.add(status);
        }
        if ("inline".equals(kind)) {
            w.append(" AND package_id LIKE '@inline/%'");
        } else if ("package".equals(kind)) {
            w.append(" AND (package_id IS NULL OR package_id NOT LIKE '@inline/%')");
        }
        if (startDate != null) {
            w.append(" AND started_at>=?");
            args.add(startDate);
        }
        if (endDate != null) {
            w.append(" AND started_at<=?");
            args.add(endDate);
        }
        return w.toString();
    }
}
