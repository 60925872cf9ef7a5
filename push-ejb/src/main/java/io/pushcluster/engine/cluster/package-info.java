/**
 * Which node owns a key and where clients reach it. For now the membership is this one node; the
 * ring over members is {@link io.pushcluster.engine.ring.KetamaRing}.
 */
package io.pushcluster.engine.cluster;
