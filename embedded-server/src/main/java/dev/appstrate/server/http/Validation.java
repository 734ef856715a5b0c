package dev.appstrate.server.http;

import dev.appstrate.server.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/** Collects field errors of one body and throws them together as validation_failed. */
public final class Validation {
    private final List<ApiException.FieldError> errors = new ArrayList<>();

    public Validation required(String field, Object value) {
        if (value == null) {
            errors.add(new ApiException.FieldError(field, "required", "Required"));
        }
        return this;
    }

    public Validation length(String field, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            errors.add(new ApiException.FieldError(field, "out_of_range",
                    "Must be between " + min + " and " + max + " characters"));
        }
        return this;
    }

    public Validation check(boolean ok, String field, String code, String message) {
        if (!ok) {
            errors.add(new ApiException.FieldError(field, code, message));
        }
        return this;
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }
}
