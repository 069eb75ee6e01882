// Package badinput holds tests that feed empty, hostile and out-of-range input to every
// resource package through a recording server, and check that each call either refuses the
// input before sending anything or sends exactly the request it names, correctly escaped.
// It has no code of its own.
package badinput
