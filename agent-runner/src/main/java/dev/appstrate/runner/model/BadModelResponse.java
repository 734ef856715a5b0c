package dev.appstrate.runner.model;

/** A 2xx answer the runner cannot use (error payload, no choices, bad stream event). Not retried. */
final class BadModelResponse extends RuntimeException {
    BadModelResponse(String message) {
        super(message);
    }
}
