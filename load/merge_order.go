package load

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"go.uber.org/zap"
)

// orderDoc is a document as supersession sees it.
type orderDoc struct {
	id, path string
	old      bool   // in the warehouse before this merge
	group    string // region, department, fiscal year and stage; "" when it has no stage
	current  bool
	sup      sql.NullString
}

// before is the order of documents no shard orders: the warehouse's own
// first, then by source path (a single run loads a folder's files in path
// order), then by id.
func before(a, b *orderDoc) int {
	if a.old != b.old {
		if a.old {
			return -1
		}
		return 1
	}
	return cmp.Or(strings.Compare(a.path, b.path), strings.Compare(a.id, b.id))
}

// resupersede recomputes is_current and superseded_by over all documents,
// as load.Load leaves them when it loads the documents one after another:
// a document of a region, department, fiscal year and stage supersedes the
// one before it; a document with no stage is never superseded (Load's
// UPDATE matches stage with =, which no NULL passes), while the other three
// match as IS NOT DISTINCT FROM does: NULL with NULL. The order within a group keeps
// every order a shard or the warehouse gave (gk_merge_edges: A superseded
// by B puts A before B) and is otherwise before's; where shards disagree
// (each loaded two documents in the other order) before decides.
func (w *Warehouse) resupersede(ctx context.Context, conn *sql.Conn, stats *MergeStats) error {
	rows, err := conn.QueryContext(ctx, `SELECT d.document_id, d.source_path, d.document_id NOT IN (SELECT document_id FROM gk_merge_docs),
		    CASE WHEN d.stage IS NULL THEN ''
		         ELSE concat_ws(chr(31), coalesce('=' || d.region, '-'), coalesce('=' || d.department_name, '-'),
		                        coalesce('=' || d.fiscal_year::VARCHAR, '-'), d.stage) END,
		    d.is_current, d.superseded_by
		FROM main.documents d`)
	if err != nil {
		return err
	}
	byID := map[string]*orderDoc{}
	groups := map[string][]*orderDoc{}
	for rows.Next() {
		d := &orderDoc{}
		if err := rows.Scan(&d.id, &d.path, &d.old, &d.group, &d.current, &d.sup); err != nil {
			rows.Close()
			return err
		}
		byID[d.id] = d
		if d.group != "" {
			groups[d.group] = append(groups[d.group], d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The orders the shards and the warehouse gave, within a group.
	succ := map[string][]string{}
	rows, err = conn.QueryContext(ctx, `SELECT DISTINCT document_id, superseded_by FROM gk_merge_edges`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return err
		}
		da, db := byID[a], byID[b]
		if da != nil && db != nil && da.group != "" && da.group == db.group && a != b {
			succ[a] = append(succ[a], b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	type change struct {
		id      string
		current bool
		sup     sql.NullString
	}
	var changes []change
	set := func(d *orderDoc, current bool, sup sql.NullString) {
		if d.current != current || d.sup != sup {
			changes = append(changes, change{d.id, current, sup})
		}
	}
	for _, d := range byID {
		if d.group == "" {
			set(d, true, sql.NullString{})
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		order := orderGroup(groups[k], succ)
		for i, d := range order {
			if i == len(order)-1 {
				set(d, true, sql.NullString{})
			} else {
				set(d, false, sql.NullString{String: order[i+1].id, Valid: true})
			}
		}
	}
	stats.Reordered = len(changes)
	if len(changes) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE gk_merge_order (document_id VARCHAR, is_current BOOLEAN, superseded_by VARCHAR)`); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.gk_merge_order`); err != nil {
			w.log.Warn("drop merge table", zap.String("table", "gk_merge_order"), zap.Error(err))
		}
	}()
	const chunk = 500
	for start := 0; start < len(changes); start += chunk {
		part := changes[start:min(start+chunk, len(changes))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO gk_merge_order VALUES `)
		args := make([]any, 0, 3*len(part))
		for i, c := range part {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?)")
			args = append(args, c.id, c.current, c.sup)
		}
		if _, err := conn.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	_, err = conn.ExecContext(ctx, `UPDATE main.documents d SET is_current = o.is_current, superseded_by = o.superseded_by
		FROM gk_merge_order o WHERE d.document_id = o.document_id`)
	if err != nil {
		return fmt.Errorf("update documents: %w", err)
	}
	return nil
}

// orderGroup orders one group's documents: a topological order of succ
// (A before each of succ[A]) that takes, among the documents free to come
// next, the first by before; when only a cycle is left (two shards that
// loaded two documents in opposite orders), the first of it by before.
func orderGroup(docs []*orderDoc, succ map[string][]string) []*orderDoc {
	slices.SortFunc(docs, before)
	in := map[string]int{}
	member := map[string]bool{}
	for _, d := range docs {
		member[d.id] = true
	}
	for _, d := range docs {
		for _, s := range slices.Compact(slices.Sorted(slices.Values(succ[d.id]))) {
			if member[s] {
				in[s]++
			}
		}
	}
	done := map[string]bool{}
	out := make([]*orderDoc, 0, len(docs))
	for len(out) < len(docs) {
		next := -1
		for i, d := range docs {
			if !done[d.id] && in[d.id] <= 0 {
				next = i
				break
			}
		}
		if next < 0 { // a cycle: the first left by before
			for i, d := range docs {
				if !done[d.id] {
					next = i
					break
				}
			}
		}
		d := docs[next]
		done[d.id] = true
		out = append(out, d)
		for _, s := range slices.Compact(slices.Sorted(slices.Values(succ[d.id]))) {
			if member[s] && !done[s] {
				in[s]--
			}
		}
	}
	return out
}
