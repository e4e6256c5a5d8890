package dcm.remote;

import dcm.core.live.LiveState;

/**
 * What {@code GET /admin/live} answers: the server's live state and what a plan made elsewhere needs to know of its
 * ClickHouse.
 *
 * @param database     the project database on the server
 * @param dialect      its ClickHouse version (the models' types follow it: DateTime64 only on 20.1+)
 * @param viewsCascade whether its materialized views fire the views of their target (one migration view per step)
 * @param interrupted  operations a crash cut off there, which its next apply finishes first
 * @param live         its tables, views and topics
 */
public record LiveView(String database, String dialect, boolean viewsCascade, int interrupted, LiveState live) {}
