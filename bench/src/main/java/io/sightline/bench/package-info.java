/** Load generators and benchmarks; {@link io.sightline.bench.Bench} is the jar's entry point. */
package io.sightline.bench;
