package dev.appstrate.runner;

/**
 * How the run ended, before it is folded into the finalize body.
 *
 * @param status    {@code success}, {@code failed} or {@code timeout} (the original's RunResult statuses)
 * @param message   error message for failed/timeout, {@code null} on success
 * @param errorCode stable error code ({@code timeout}, {@code model_request_failed}, …) or {@code null}
 */
public record RunOutcome(String status, String message, String errorCode) {
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    public static final String TIMEOUT = "timeout";

    public static RunOutcome success() {
        return new RunOutcome(SUCCESS, null, null);
    }

    public static RunOutcome failed(String message, String code) {
        return new RunOutcome(FAILED, message, code);
    }

    public static RunOutcome timeout(int seconds) {
        return new RunOutcome(TIMEOUT, "Run timed out after " + seconds + "s", "timeout");
    }

    public boolean isSuccess() {
        return SUCCESS.equals(status);
    }
}
