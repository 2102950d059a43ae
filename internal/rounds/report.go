package rounds

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/matcher"
)

// WriteReport writes res for a person: the matches (at most limit rows,
// all when limit ≤ 0), every unmatched person with the reason (at most
// limit of them), and the summary.
func WriteReport(w io.Writer, res *Result, limit int) error {
	p := res.Proposal
	id := "not saved (dry run)"
	if res.Round.ID != 0 {
		id = fmt.Sprintf("%d", res.Round.ID)
	}
	fmt.Fprintf(w, "Round %s %q (%s), %s; input %.12s…, %s\n\n", id, res.Round.Name, p.Kind,
		cmp.Or(string(res.Round.Status), "proposed"), p.InputHash, p.Version)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHO\tREGION\tWHERE\tSCORE\tRANK\tMAIN REASONS")
	rows := 0
	var unmatched []matcher.Explanation
	for _, e := range p.Explanations {
		if len(e.Matched) == 0 {
			unmatched = append(unmatched, e)
			continue
		}
		for _, m := range e.Matched {
			if limit > 0 && rows >= limit {
				rows++
				continue
			}
			rows++
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%d/%d\t%s\n", e.LeftID, p.Problem.Left[e.Left].Region, m.RightID, m.Score,
				m.Rank, m.Candidates, mainReasons(m.Contributions))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if limit > 0 && rows > limit {
		fmt.Fprintf(w, "… and %d more matches (--limit 0 or --json shows all)\n", rows-limit)
	}
	if len(p.Circles) > 0 {
		writeCircles(w, p.Circles)
	}

	if len(unmatched) > 0 {
		fmt.Fprintf(w, "\nNot matched (%d):\n", len(unmatched))
		for i, e := range unmatched {
			if limit > 0 && i >= limit {
				fmt.Fprintf(w, "  … and %d more (khidi match --explain ID tells one person's story)\n", len(unmatched)-limit)
				break
			}
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	writeSummary(w, res)
	return nil
}

// mainReasons names the two features that contributed most to a score.
func mainReasons(cs []matcher.Contribution) string {
	top := slices.Clone(cs)
	slices.SortStableFunc(top, func(a, b matcher.Contribution) int { return cmp.Compare(b.Value, a.Value) })
	var parts []string
	for _, c := range top[:min(2, len(top))] {
		if c.Value > 0 {
			parts = append(parts, fmt.Sprintf("%s %.2f", c.Feature, c.Value))
		}
	}
	return strings.Join(parts, ", ")
}

// writeSummary writes what a manager reads first.
func writeSummary(w io.Writer, res *Result) {
	p, s := res.Proposal, res.Proposal.Summary
	fmt.Fprintf(w, "\nSummary: %d of %d matched (%.1f%%), %d matches; %d not matched", s.Matched, s.Eligible,
		percent(s.Matched, s.Eligible), s.Matches, s.Unmatched)
	if len(s.UnmatchedWhy) > 0 {
		var parts []string
		for _, r := range s.UnmatchedWhy {
			parts = append(parts, fmt.Sprintf("%s %d", r.Reason, r.Count))
		}
		fmt.Fprintf(w, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "\nScores: mean %.2f, worst %.2f\n", s.MeanScore, s.WorstScore)

	places, used, full := 0, 0, 0
	for _, f := range s.Fill {
		places += f.Capacity
		used += f.Used
		if f.Used >= f.Capacity {
			full++
		}
	}
	fmt.Fprintf(w, "Fill: %d of %d places used; %d of %d hosts full", used, places, full, len(s.Fill))
	least := slices.Clone(s.Fill)
	slices.SortStableFunc(least, func(a, b matcher.Fill) int {
		return cmp.Compare(float64(a.Used)/float64(max(a.Capacity, 1)), float64(b.Used)/float64(max(b.Capacity, 1)))
	})
	var parts []string
	for _, f := range least[:min(5, len(least))] {
		if f.Used < f.Capacity {
			parts = append(parts, fmt.Sprintf("%s %d/%d", f.ID, f.Used, f.Capacity))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "; least filled: %s", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)

	parts = parts[:0]
	for _, r := range s.Regions {
		parts = append(parts, fmt.Sprintf("%s %d/%d", cmp.Or(r.Region, "(none)"), r.Matched, r.Eligible))
	}
	fmt.Fprintf(w, "By region (matched/eligible): %s\n", strings.Join(parts, ", "))
	for _, q := range p.Assignment.Quotas {
		fmt.Fprintf(w, "Quota %d: %d matches (bounds %d to %s)\n", q.Quota+1, q.Matched, q.Min, bound(q.Max))
	}
	if p.Stability != nil {
		fmt.Fprintf(w, "Stability, where people ranked hosts: %s\n", p.Stability)
	}
	if c := p.Cover; c != nil {
		fmt.Fprintf(w, "Peer exchange: %d organisations in %d rings of visits", c.Participants, len(c.Cycles))
		if c.Bound > c.Score {
			fmt.Fprintf(w, "; total score %.2f, proven within %.2f%% of the best possible (%.2f)", c.Score, 100*(c.Bound-c.Score)/c.Bound, c.Bound)
		}
		fmt.Fprintln(w)
	}
	parts = parts[:0]
	for _, st := range res.Stages {
		parts = append(parts, fmt.Sprintf("%s %.2fs", st.Name, st.Duration.Seconds()))
	}
	fmt.Fprintf(w, "Time: %s\n", strings.Join(parts, ", "))
}

// WriteExplain writes one person's (or organisation's) story in the round:
// the explanation, every candidate with its score broken down by feature,
// and the pairs hard rules removed.
func WriteExplain(w io.Writer, p *matcher.Proposal, who string) error {
	l, ok := p.Scorer.LeftIndex(who)
	if !ok {
		return fmt.Errorf("%s is not among who this %s round can match (check the id, role and experience): %w", who, p.Kind, program.ErrNotFound)
	}
	fmt.Fprintf(w, "%s\n\nCandidates, best first:\n", p.Explanations[l])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "WHERE\tSCORE")
	for f := range matcher.NumFeatures {
		fmt.Fprintf(tw, "\t%s", strings.ToUpper(matcher.Feature(f).String()))
	}
	fmt.Fprintln(tw)
	var cands []matcher.Candidate
	for _, c := range p.Problem.Candidates {
		if c.Left == l {
			cands = append(cands, c)
		}
	}
	slices.SortStableFunc(cands, func(a, b matcher.Candidate) int { return cmp.Compare(b.Score, a.Score) })
	for _, c := range cands {
		fmt.Fprintf(tw, "%s\t%.2f", p.Problem.Right[c.Right].ID, c.Score)
		for _, v := range c.Breakdown {
			fmt.Fprintf(tw, "\t%.2f", v)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var rejected []string
	for _, r := range p.Problem.Rejections {
		if r.Left == l {
			rejected = append(rejected, fmt.Sprintf("%s (%s)", p.Problem.Right[r.Right].ID, r.Rule))
		}
	}
	if len(rejected) > 0 {
		fmt.Fprintf(w, "\nRemoved by hard rules: %s\n", strings.Join(rejected, ", "))
	}
	return nil
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func bound(max int) string {
	if max < 0 {
		return "no limit"
	}
	return fmt.Sprint(max)
}

// writeCircles lists the study circles of a proposal.
func writeCircles(w io.Writer, circles []matcher.StudyCircle) {
	fmt.Fprintf(w, "\nCircles (%d):\n", len(circles))
	for _, c := range circles {
		trainers := "no trainer"
		if len(c.Trainers) > 0 {
			trainers = "trainer " + strings.Join(c.Trainers, ", ")
		}
		fmt.Fprintf(w, "  %s: %d members around %s, %s; mean affinity %.2f\n", c.ID, len(c.Members), c.Anchor, trainers, c.MeanAffinity)
	}
}
