package importer

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/khidi/khidi/internal/program"
)

// batchSize is how many records are checked together: large enough that
// handing a batch to another goroutine costs nothing next to checking it,
// small enough that a short file never needs a second goroutine.
const batchSize = 512

// checker normalises and validates the records of one list (a CSV file, or
// one array of a JSON file) and adds them to the Set in file order.
//
// program.Validate costs about 10µs a participant (reflection and the email
// pattern), two thirds of reading a national round, so batches are
// validated on every core while the reader parses the next rows. Everything
// that depends on order — duplicate ids, the error cap, appending — happens
// in merge, on the reader's goroutine, in file order, so the result is the
// same as checking one record after another.
//
// While a checker is open, every problem of the file goes through it (next
// or problem) rather than straight into fileReader.errs, so that the cap on
// problems is reached at the same record however the goroutines run.
type checker[T any] struct {
	fr *fileReader
	sp *spec[T]

	cur   *batch[T]   // being filled by the reader
	queue []*batch[T] // handed to the workers, oldest first
	free  []*batch[T] // merged, ready for reuse

	work chan *batch[T] // nil until the first batch is full
	wg   sync.WaitGroup
}

type batch[T any] struct {
	items []item[T]
	// lines holds len(spec.columns) lines per item: the line each
	// column's cell or field is on, 0 if not given.
	lines []int
	done  chan struct{} // closed when the batch is checked
}

// item is one record, or one problem that has no record, in file order.
type item[T any] struct {
	rec      T
	line     int
	errs     program.ErrorList // found while parsing, positioned or not
	failed   uint64            // bit i: column i could not be parsed
	noRecord bool              // errs is all there is: a row that could not be split
	verrs    program.ErrorList // Validate's, set by check
}

func newChecker[T any](fr *fileReader, sp *spec[T]) *checker[T] {
	return &checker[T]{fr: fr, sp: sp}
}

// next returns a new item starting on line, and the slice of its column
// lines, for the reader to fill in.
func (c *checker[T]) next(line int) (*item[T], []int) {
	if c.cur != nil && len(c.cur.items) == batchSize {
		c.submit()
	}
	if c.cur == nil {
		c.cur = c.newBatch()
	}
	b := c.cur
	n := len(b.items)
	b.items = b.items[:n+1]
	it := &b.items[n]
	*it = item[T]{line: line}
	ncols := len(c.sp.columns)
	lines := b.lines[n*ncols : (n+1)*ncols]
	clear(lines)
	return it, lines
}

// problem adds a problem of the file at line that has no record, such as a
// row encoding/csv could not split.
func (c *checker[T]) problem(line int, id, msg, hint string) {
	it, _ := c.next(line)
	it.noRecord = true
	it.errs = append(it.errs, &program.InputError{File: c.fr.name, Line: line, ID: id, Msg: msg, Hint: hint})
}

// cancel drops the item next returned last, for a record the file ends
// or breaks in the middle of.
func (c *checker[T]) cancel() {
	c.cur.items = c.cur.items[:len(c.cur.items)-1]
}

func (c *checker[T]) newBatch() *batch[T] {
	if n := len(c.free); n > 0 {
		b := c.free[n-1]
		c.free = c.free[:n-1]
		b.items = b.items[:0]
		b.done = make(chan struct{})
		return b
	}
	return &batch[T]{
		items: make([]item[T], 0, batchSize),
		lines: make([]int, batchSize*len(c.sp.columns)),
		done:  make(chan struct{}),
	}
}

// submit hands the current batch to the workers, starting them on the
// first call, and merges what they have finished.
func (c *checker[T]) submit() {
	workers := runtime.GOMAXPROCS(0)
	if c.work == nil {
		c.work = make(chan *batch[T], 2*workers)
		for range workers {
			c.wg.Go(func() {
				for b := range c.work {
					for i := range b.items {
						c.check(&b.items[i])
					}
					close(b.done)
				}
			})
		}
	}
	c.queue = append(c.queue, c.cur)
	c.work <- c.cur
	c.cur = nil
	// Merge the finished batches at the head of the queue; wait for the
	// oldest when too many are out, so memory stays bounded.
	for len(c.queue) > 0 {
		if len(c.queue) <= 2*workers {
			select {
			case <-c.queue[0].done:
			default:
				return
			}
		} else {
			<-c.queue[0].done
		}
		c.mergeBatch(c.queue[0])
		c.queue = c.queue[1:]
	}
}

// close checks and merges everything still pending and stops the workers.
// A file with fewer than batchSize records is checked here, on the
// reader's goroutine, without starting any.
func (c *checker[T]) close() {
	if c.cur != nil {
		if c.work == nil {
			for i := range c.cur.items {
				c.check(&c.cur.items[i])
			}
			c.mergeBatch(c.cur)
		} else {
			c.submit()
		}
		c.cur = nil
	}
	for _, b := range c.queue {
		<-b.done
		c.mergeBatch(b)
	}
	c.queue = nil
	if c.work != nil {
		close(c.work)
		c.wg.Wait()
		c.work = nil
	}
}

// check normalises and validates one record. It runs on any goroutine and
// touches nothing but the item.
func (c *checker[T]) check(it *item[T]) {
	if it.noRecord {
		return
	}
	c.sp.normalize(&it.rec)
	err := program.Validate(&it.rec)
	if err == nil {
		return
	}
	var vl program.ErrorList
	if !errors.As(err, &vl) {
		// Validate fails otherwise only on a nil record.
		panic(fmt.Sprintf("importer: validate %T: %v", it.rec, err))
	}
	for _, e := range vl {
		// A cell that could not be parsed left a zero value behind;
		// Validate's complaint about that would be a second message
		// about the same cell.
		if col := c.sp.col(baseField(e.Field)); col >= 0 && it.failed&(1<<col) != 0 {
			continue
		}
		it.verrs = append(it.verrs, e)
	}
}

func (c *checker[T]) mergeBatch(b *batch[T]) {
	// append grows a large slice by a quarter at a time, which for 100k
	// records of 300 bytes allocates and copies five times their size;
	// doubling allocates twice.
	if recs := c.sp.records(c.fr.set); cap(*recs)-len(*recs) < len(b.items) {
		*recs = slices.Grow(*recs, max(len(*recs), len(b.items)))
	}
	ncols := len(c.sp.columns)
	for i := range b.items {
		c.merge(&b.items[i], b.lines[i*ncols:(i+1)*ncols])
	}
	clear(b.items) // let go of the records' strings
	c.free = append(c.free, b)
}

// merge adds one checked item to the Set or its problems to the file's, in
// file order.
func (c *checker[T]) merge(it *item[T], lines []int) {
	fr := c.fr
	if fr.full {
		fr.skip(it.line)
		return
	}
	errs := it.errs
	var id string
	if !it.noRecord {
		id = c.sp.id(&it.rec)
		if id != "" {
			if first, dup := fr.claim(c.sp.kind, id, it.line); dup {
				errs = append(errs, &program.InputError{Field: "id",
					Msg:  "already given at " + first.String(),
					Hint: "give each record its own id, or delete the repeated row"})
			}
		}
		errs = append(errs, it.verrs...)
		// A record with a column missing from the header has no error
		// of its own but is not whole either.
		if len(errs) == 0 && it.failed == 0 {
			recs := c.sp.records(fr.set)
			*recs = append(*recs, it.rec)
			return
		}
	}
	for _, e := range errs {
		if e.ID == "" {
			e.ID = id
		}
		if e.File == "" {
			e.File, e.Line = fr.name, it.line
			if col := c.sp.col(baseField(e.Field)); col >= 0 && lines[col] > 0 {
				e.Line = lines[col]
			}
		}
	}
	fr.errs = append(fr.errs, errs...)
	fr.full = len(fr.errs) >= maxErrors
}
