package match

import (
	"math"
	"math/rand/v2"
)

// softmax is a multinomial logistic regression over sparse vectors: one
// weight per feature and class, plus a bias per class. It is trained by
// stochastic gradient descent in a fixed order, so the same corpus always
// gives the same model, bit for bit.
type softmax struct {
	classes  int
	features int
	// Weights are kept in single precision: as shipped in model.gob.gz,
	// so that a model just trained and one loaded answer alike.
	w []float32 // w[f*classes+k]
	b []float32
}

// Training settings, chosen on the dev split (see eval_test.go); the test
// split was never used to choose them.
const (
	epochs    = 40
	learnRate = 2.0
	seed      = 20231206
)

// trainSoftmax learns the weights, without a penalty on their size: the
// averaging and the learning rate's decay keep them in check (on dev, an L2
// penalty of 1e-5 gave the same accuracy and 74 out-of-scope questions given
// a fact instead of 64). Classes count as many times as they have
// questions: the out-of-scope ones are the largest, which makes the model
// readier to say it does not know (on dev, out-of-scope questions given a
// fact went from 56 to 37 against weighing classes equally, for the same
// accuracy). The weights returned are the average of those at the end of
// each epoch of the second half, which steadies them.
func trainSoftmax(xs []vector, ys []int, classes, features int) *softmax {
	// Training runs in double precision on its own copy of the weights.
	w, b := make([]float64, classes*features), make([]float64, classes)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	p := make([]float64, classes)
	step := 0
	avgW, avgB := make([]float64, len(w)), make([]float64, len(b))
	averaged := 0
	for epoch := range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			lr := learnRate / (1 + float64(step)/float64(len(xs)))
			step++
			probs(w, b, classes, xs[i], p)
			for k := range classes {
				g := p[k]
				if k == ys[i] {
					g--
				}
				b[k] -= lr * g
				for _, e := range xs[i] {
					w[int(e.id)*classes+k] -= lr * g * e.val
				}
			}
		}
		if epoch >= epochs/2 {
			for j := range w {
				avgW[j] += w[j]
			}
			for k := range b {
				avgB[k] += b[k]
			}
			averaged++
		}
	}
	m := &softmax{classes: classes, features: features, w: make([]float32, len(w)), b: make([]float32, len(b))}
	for j := range w {
		m.w[j] = float32(avgW[j] / float64(averaged))
	}
	for k := range b {
		m.b[k] = float32(avgB[k] / float64(averaged))
	}
	return m
}

// probs writes the class probabilities of x into p.
func (m *softmax) probs(x vector, p []float64) { probs(m.w, m.b, m.classes, x, p) }

func probs[F float32 | float64](w, b []F, classes int, x vector, p []float64) {
	for k := range p {
		p[k] = float64(b[k])
	}
	for _, e := range x {
		row := w[int(e.id)*classes : int(e.id+1)*classes]
		v := e.val
		for k, wk := range row {
			p[k] += v * float64(wk)
		}
	}
	top := math.Inf(-1)
	for _, z := range p {
		top = max(top, z)
	}
	sum := 0.0
	for k, z := range p {
		p[k] = math.Exp(z - top)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
}
