package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// maintainPostgreSQL does for FerretDB's database what PostgreSQL's autovacuum would: it analyzes the tables
// that changed a good deal since their last analysis and vacuums those with many dead rows. Our machines run
// PostgreSQL with autovacuum off (a CI setting), and then the planner never learns how many rows a value
// matches: it ANDs the GIN index of a field most rows share (`site`) with a selective one (`reporter`), and a
// lookup that takes 0.1 ms takes 5 ms at 150,000 rows and grows with them; and every update leaves a dead row
// that lookups and later updates step over (FINDINGS.md k10). The thresholds are autovacuum's defaults.
func maintainPostgreSQL(ctx context.Context, url string, every time.Duration) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		slog.Warn("maintenance: bad PostgreSQL URL; tables will not be analyzed", "err", err)
		return
	}
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		slog.Warn("maintenance: cannot connect; tables will not be analyzed", "err", err)
		return
	}
	defer pool.Close()
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := maintainOnce(ctx, pool); err != nil && ctx.Err() == nil {
				slog.Warn("maintenance: a round failed; the next one tries again", "err", err)
			}
		}
	}
}

func maintainOnce(ctx context.Context, pool *pgxpool.Pool) error {
	rows, err := pool.Query(ctx, `
		SELECT format('%I.%I', schemaname, relname),
		       n_dead_tup > 50 + 0.2 * n_live_tup
		FROM pg_stat_user_tables
		WHERE n_mod_since_analyze > 50 + 0.1 * n_live_tup OR n_dead_tup > 50 + 0.2 * n_live_tup`)
	if err != nil {
		return err
	}
	type due struct {
		table  string
		vacuum bool
	}
	var tables []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.table, &d.vacuum); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range tables {
		// SKIP_LOCKED: a table being dropped or altered right now waits for the next round.
		command := "ANALYZE (SKIP_LOCKED) " + d.table
		if d.vacuum {
			command = "VACUUM (ANALYZE, SKIP_LOCKED) " + d.table
		}
		if _, err := pool.Exec(ctx, command); err != nil {
			return fmt.Errorf("%s: %w", command, err)
		}
	}
	return nil
}
