package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives what the runtime tools ({@code log}, {@code output}) produce; the agent loop turns it into events. */
public interface RuntimeToolListener {
    void logWritten(String level, String message);

    void outputEmitted(JsonNode data);
}
