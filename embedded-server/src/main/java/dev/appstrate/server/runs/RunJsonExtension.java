package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Adds what another feature knows about a run to its Run resource (inline runs: the manifest and prompt they ran). */
public interface RunJsonExtension {
    RunJsonExtension NONE = (run, json) -> { };

    void extend(RunRecord run, ObjectNode json);
}
