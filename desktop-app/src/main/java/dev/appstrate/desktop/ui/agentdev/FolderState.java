package dev.appstrate.desktop.ui.agentdev;

import dev.appstrate.desktop.agentdev.AgentFolder;
import dev.appstrate.desktop.agentdev.FolderProblem;
import java.nio.file.Path;
import java.util.List;

/** What the page shows for one folder: the last reading, the server's verdict and when it was checked. */
public record FolderState(Path dir, AgentFolder folder, Verdict verdict, List<FolderProblem> problems, String note, long checkedAtNanos) {
    public enum Verdict { CHECKING, VALID, INVALID, UNCHECKED }

    public FolderState {
        problems = List.copyOf(problems);
    }

    public String name() {
        return folder == null ? String.valueOf(dir.getFileName()) : folder.displayName();
    }

    /** The problems beside one file ({@code manifest.json}, {@code prompt.md}, {@code input}, "" for the folder). */
    public List<FolderProblem> problemsOf(String file) {
        return problems.stream().filter(p -> p.file().equals(file)).toList();
    }

    public String chip() {
        return switch (verdict) {
            case CHECKING -> "checking";
            case VALID -> "valid";
            case INVALID -> problems.size() == 1 ? "1 problem" : problems.size() + " problems";
            case UNCHECKED -> "not checked";
        };
    }
}
