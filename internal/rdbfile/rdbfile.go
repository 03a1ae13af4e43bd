// Package rdbfile writes the keys of a Redis as an RDB file, the format
// redis-server loads at start (its dump.rdb), so that data made in the
// embedded in-memory Redis (which keeps nothing on disk) can be loaded into
// a real one.
//
// It writes RDB version 9, which Redis 5 and later load: strings, lists,
// sets, sorted sets and hashes in their plain encodings, each key's expiry
// in milliseconds, and the CRC-64 checksum Redis checks on load.
package rdbfile

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Value types and opcodes of the format.
const (
	typeString = 0
	typeList   = 1
	typeSet    = 2
	typeHash   = 4
	typeZSet2  = 5

	opAux          = 0xFA
	opResizeDB     = 0xFB
	opExpireTimeMs = 0xFC
	opSelectDB     = 0xFE
	opEOF          = 0xFF
)

// Dump writes every key of the database rdb is connected to, as an RDB file
// of database 0, to w. Keys are read with SCAN, so the database should not
// change meanwhile. now decides which expiries have already passed: those
// keys are left out.
func Dump(ctx context.Context, rdb redis.Cmdable, w io.Writer, now time.Time) error {
	e := &encoder{w: bufio.NewWriter(w)}
	e.raw([]byte("REDIS0009"))
	e.aux("redis-ver", "7.0.0")
	e.aux("redis-bits", "64")
	e.aux("ctime", strconv.FormatInt(now.Unix(), 10))
	var keys []string
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("rdb: scan: %w", err)
	}
	e.byte(opSelectDB)
	e.length(0)
	e.byte(opResizeDB)
	e.length(uint64(len(keys)))
	e.length(0)
	for _, k := range keys {
		if err := e.key(ctx, rdb, k, now); err != nil {
			return err
		}
	}
	e.byte(opEOF)
	if e.err != nil {
		return fmt.Errorf("rdb: write: %w", e.err)
	}
	var sum [8]byte
	binary.LittleEndian.PutUint64(sum[:], e.crc)
	e.w.Write(sum[:])
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("rdb: write: %w", err)
	}
	return nil
}

type encoder struct {
	w   *bufio.Writer
	crc uint64
	err error
}

func (e *encoder) raw(b []byte) {
	if e.err != nil {
		return
	}
	e.crc = crc64(e.crc, b)
	_, e.err = e.w.Write(b)
}

func (e *encoder) byte(b byte) { e.raw([]byte{b}) }

// length writes n in the format's variable-length form.
func (e *encoder) length(n uint64) {
	switch {
	case n < 1<<6:
		e.byte(byte(n))
	case n < 1<<14:
		e.raw([]byte{0x40 | byte(n>>8), byte(n)})
	case n <= math.MaxUint32:
		b := []byte{0x80, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(b[1:], uint32(n))
		e.raw(b)
	default:
		b := make([]byte, 9)
		b[0] = 0x81
		binary.BigEndian.PutUint64(b[1:], n)
		e.raw(b)
	}
}

func (e *encoder) str(s string) {
	e.length(uint64(len(s)))
	e.raw([]byte(s))
}

func (e *encoder) aux(k, v string) {
	e.byte(opAux)
	e.str(k)
	e.str(v)
}

// key writes one key with its expiry, if it has one that has not passed.
func (e *encoder) key(ctx context.Context, rdb redis.Cmdable, k string, now time.Time) error {
	kind, err := rdb.Type(ctx, k).Result()
	if err != nil {
		return fmt.Errorf("rdb: type of %s: %w", k, err)
	}
	if kind == "none" {
		return nil // expired or deleted since the scan
	}
	ttl, err := rdb.PTTL(ctx, k).Result()
	if err != nil {
		return fmt.Errorf("rdb: ttl of %s: %w", k, err)
	}
	if ttl > 0 {
		e.byte(opExpireTimeMs)
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(now.Add(ttl).UnixMilli()))
		e.raw(b[:])
	}
	switch kind {
	case "string":
		v, err := rdb.Get(ctx, k).Result()
		if err != nil {
			return fmt.Errorf("rdb: %s: %w", k, err)
		}
		e.byte(typeString)
		e.str(k)
		e.str(v)
	case "list":
		vs, err := rdb.LRange(ctx, k, 0, -1).Result()
		if err != nil {
			return fmt.Errorf("rdb: %s: %w", k, err)
		}
		e.byte(typeList)
		e.str(k)
		e.strs(vs)
	case "set":
		vs, err := rdb.SMembers(ctx, k).Result()
		if err != nil {
			return fmt.Errorf("rdb: %s: %w", k, err)
		}
		e.byte(typeSet)
		e.str(k)
		e.strs(vs)
	case "hash":
		m, err := rdb.HGetAll(ctx, k).Result()
		if err != nil {
			return fmt.Errorf("rdb: %s: %w", k, err)
		}
		e.byte(typeHash)
		e.str(k)
		e.length(uint64(len(m)))
		for f, v := range m {
			e.str(f)
			e.str(v)
		}
	case "zset":
		zs, err := rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
		if err != nil {
			return fmt.Errorf("rdb: %s: %w", k, err)
		}
		e.byte(typeZSet2)
		e.str(k)
		e.length(uint64(len(zs)))
		for _, z := range zs {
			e.str(fmt.Sprint(z.Member))
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(z.Score))
			e.raw(b[:])
		}
	default:
		return fmt.Errorf("rdb: %s is a %s, which this writer does not know", k, kind)
	}
	return nil
}

func (e *encoder) strs(vs []string) {
	e.length(uint64(len(vs)))
	for _, v := range vs {
		e.str(v)
	}
}

// crcTable is the table of the CRC-64 Redis uses (the "Jones" polynomial,
// reflected, with no initial or final inversion).
var crcTable = func() [256]uint64 {
	const poly = 0x95AC9329AC4BC9B5 // 0xAD93D23594C935A9 reflected
	var t [256]uint64
	for i := range t {
		c := uint64(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ poly
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

func crc64(crc uint64, b []byte) uint64 {
	for _, x := range b {
		crc = crcTable[byte(crc)^x] ^ crc>>8
	}
	return crc
}
