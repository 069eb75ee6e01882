package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/clerkcompat/clerk"
)

// floorClient is the least a program can do to call the API by hand: net/http with a pool
// sized for concurrent calls, and encoding/json decoding into the same types the SDK returns.
// It has no retries, no deadline of its own and no error decoding; it is the cost to beat.
type floorClient struct {
	hc   *http.Client
	base string
}

var (
	floorAuth    = []string{"Bearer " + testKey}
	floorVersion = []string{clerk.APIVersion}
)

func newFloorClient(base string) *floorClient {
	return &floorClient{hc: pooledHTTPClient(), base: base}
}

// pooledHTTPClient keeps enough idle connections for 64 concurrent calls to one host; the
// standard transport keeps 2, and a floor that reconnects would not be a floor.
func pooledHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return &http.Client{Transport: t}
}

func (c *floorClient) get(ctx context.Context, pathAndQuery string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+pathAndQuery, nil)
	if err != nil {
		return err
	}
	req.Header["Authorization"] = floorAuth
	req.Header["Clerk-Api-Version"] = floorVersion
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("GET %s: status %d", pathAndQuery, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *floorClient) getUser(ctx context.Context, id string) (*clerk.User, error) {
	var u clerk.User
	if err := c.get(ctx, "/users/"+url.PathEscape(id), &u); err != nil {
		return nil, err
	}
	return &u, nil
}

func (c *floorClient) listUsers(ctx context.Context, limit int, after string,
) ([]*clerk.User, error) {
	q := "/users?limit=" + strconv.Itoa(limit)
	if after != "" {
		q += "&starting_after=" + url.QueryEscape(after)
	}
	var users []*clerk.User
	if err := c.get(ctx, q, &users); err != nil {
		return nil, err
	}
	return users, nil
}

// walkUsers pages through every user with the starting_after cursor, stopping at the first
// page shorter than limit.
func (c *floorClient) walkUsers(ctx context.Context, limit int, visit func(*clerk.User),
) error {
	after := ""
	for {
		users, err := c.listUsers(ctx, limit, after)
		if err != nil {
			return err
		}
		for _, u := range users {
			visit(u)
		}
		if len(users) < limit {
			return nil
		}
		after = users[len(users)-1].ID
	}
}

// floorVerifier checks a session token with go-jose alone: the signature with a key already
// in memory, then exp, nbf and iat with a leeway, the issuer and the authorized party.
type floorVerifier struct {
	key    any
	leeway time.Duration
}

// floorClaims are the claims a session token check needs.
type floorClaims struct {
	jwt.Claims
	AuthorizedParty string `json:"azp"`
	SessionID       string `json:"sid"`
}

var floorAlgs = []jose.SignatureAlgorithm{jose.RS256}

func (v *floorVerifier) verify(token string) (*floorClaims, error) {
	tok, err := jwt.ParseSigned(token, floorAlgs)
	if err != nil {
		return nil, err
	}
	var c floorClaims
	if err := tok.Claims(v.key, &c); err != nil {
		return nil, err
	}
	if c.Expiry == nil {
		return nil, fmt.Errorf("no exp")
	}
	err = c.ValidateWithLeeway(jwt.Expected{Issuer: tokenIssuer, Time: time.Now()}, v.leeway)
	if err != nil {
		return nil, err
	}
	if c.AuthorizedParty != tokenAZP {
		return nil, fmt.Errorf("azp %q", c.AuthorizedParty)
	}
	return &c, nil
}
