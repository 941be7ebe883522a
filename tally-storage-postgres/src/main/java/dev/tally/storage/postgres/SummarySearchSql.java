package dev.tally.storage.postgres;

import dev.tally.event.EventName;
import dev.tally.search.SummaryCondition;
import dev.tally.workspace.WorkspaceId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A conjunction of summary conditions as SQL: one {@code event_summaries} row per named event,
 * joined on the contact (index-only on {@code event_summaries_by_name}, which the planner merges in
 * contact id order), every condition in the {@code WHERE}. The counts and the page are then one
 * statement each, instead of the engine reading every index row of every name through JDBC.
 */
final class SummarySearchSql {
    /** {@code FROM ... WHERE ...} over aliases s0, s1, ...; s0 is the first name's row. */
    private final String from;

    private final List<Object> binds = new ArrayList<>();

    SummarySearchSql(WorkspaceId workspaceId, List<SummaryCondition> conditions) {
        List<EventName> names = new ArrayList<>();
        conditions.forEach(condition -> {
            if (!names.contains(condition.name())) {
                names.add(condition.name());
            }
        });
        StringBuilder sql = new StringBuilder(" FROM event_summaries s0");
        for (int i = 1; i < names.size(); i++) {
            sql.append(" JOIN event_summaries s")
                    .append(i)
                    .append(" ON s")
                    .append(i)
                    .append(".workspace_id = s0.workspace_id")
                    .append(" AND s")
                    .append(i)
                    .append(".contact_id = s0.contact_id")
                    .append(" AND s")
                    .append(i)
                    .append(".name = ?");
            binds.add(names.get(i).value());
        }
        sql.append(" WHERE s0.workspace_id = ? AND s0.name = ?");
        binds.add(workspaceId.value());
        binds.add(names.get(0).value());
        for (SummaryCondition condition : conditions) {
            sql.append(" AND s")
                    .append(names.indexOf(condition.name()))
                    .append('.')
                    .append(
                            switch (condition.aspect()) {
                                case COUNT -> "event_count";
                                case FIRST -> "first_at";
                                case LAST -> "last_at";
                            });
            switch (condition.operator()) {
                case EQ -> sql.append(" = ?");
                case LT -> sql.append(" < ?");
                case LE -> sql.append(" <= ?");
                case GT -> sql.append(" > ?");
                case GE -> sql.append(" >= ?");
                case IN ->
                    sql.append(" IN (")
                            .append("?, ".repeat(condition.values().size() - 1))
                            .append("?)");
                default -> throw new IllegalArgumentException(condition.operator() + " is not a summary comparison");
            }
            binds.addAll(condition.values());
        }
        this.from = sql.toString();
    }

    /** How many match, and how many of those are at or before the cursor (bind 1: the cursor, or ""). */
    String counts() {
        return "SELECT count(*), count(*) FILTER (WHERE s0.contact_id <= ?)" + from;
    }

    /** The matching contacts after the cursor, in id order, at most a limit (binds after {@link #bindFrom}: cursor, limit, workspace). */
    String page() {
        return "SELECT c.* FROM contacts c JOIN (SELECT s0.contact_id" + from
                + " AND s0.contact_id > ? ORDER BY s0.contact_id LIMIT ?) m ON c.contact_id = m.contact_id"
                + " WHERE c.workspace_id = ? ORDER BY c.contact_id";
    }

    /** Binds the {@code FROM ... WHERE} part's values from {@code position}; returns the next position. */
    int bindFrom(PreparedStatement statement, int position) throws SQLException {
        int at = position;
        for (Object value : binds) {
            if (value instanceof Long number) {
                statement.setLong(at++, number);
            } else {
                statement.setString(at++, (String) value);
            }
        }
        return at;
    }
}
