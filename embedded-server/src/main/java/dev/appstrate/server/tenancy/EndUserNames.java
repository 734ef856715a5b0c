package dev.appstrate.server.tenancy;

/** What an end-user can be called; each feature picks its own fallback order. */
public record EndUserNames(String name, String email, String externalId) {
}
