package bench

import (
	"context"
	"encoding/json"
	"net/http"

	sdk "github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	sdkuser "github.com/clerk/clerk-sdk-go/v2/user"
)

// officialConfig configures the official SDK for s. A nil hc leaves its default HTTP client,
// which is what a program gets unless it builds its own.
func officialConfig(s *apiServer, hc *http.Client) *sdk.ClientConfig {
	return &sdk.ClientConfig{BackendConfig: sdk.BackendConfig{
		HTTPClient: hc,
		URL:        sdk.String(s.baseURL()),
		Key:        sdk.String(testKey),
	}}
}

func newOfficialUsers(s *apiServer, hc *http.Client) *sdkuser.Client {
	return sdkuser.NewClient(officialConfig(s, hc))
}

// officialWalk pages through every user the only way the official SDK offers: List by offset
// (each List also asks for the total count), stopping once the count is reached or a page
// comes back short.
func officialWalk(ctx context.Context, c *sdkuser.Client, limit int,
	visit func(*sdk.User)) error {
	offset := int64(0)
	for {
		page, err := c.List(ctx, &sdkuser.ListParams{ListParams: sdk.ListParams{
			Limit: sdk.Int64(int64(limit)), Offset: sdk.Int64(offset),
		}})
		if err != nil {
			return err
		}
		for _, u := range page.Users {
			visit(u)
		}
		offset += int64(len(page.Users))
		if len(page.Users) < limit || offset >= page.TotalCount {
			return nil
		}
	}
}

// officialJWK is the instance's key as the official SDK takes it in VerifyParams.JWK.
func officialJWK(s *apiServer) (*sdk.JSONWebKey, error) {
	var set sdk.JSONWebKeySet
	if err := json.Unmarshal(s.jwks, &set); err != nil {
		return nil, err
	}
	return set.Keys[0], nil
}

func officialAZP(azp string) bool { return azp == tokenAZP }

// officialVerify checks token with the key supplied up front: no request.
func officialVerify(ctx context.Context, jwk *sdk.JSONWebKey, token string,
) (*sdk.SessionClaims, error) {
	return jwt.Verify(ctx, &jwt.VerifyParams{
		Token:                  token,
		JWK:                    jwk,
		AuthorizedPartyHandler: officialAZP,
	})
}

// officialVerifyFetch checks token with keys fetched by the SDK: it caches nothing, so every
// call fetches the key set.
func officialVerifyFetch(ctx context.Context, c *jwks.Client, token string,
) (*sdk.SessionClaims, error) {
	return jwt.Verify(ctx, &jwt.VerifyParams{
		Token:                  token,
		JWKSClient:             c,
		AuthorizedPartyHandler: officialAZP,
	})
}

// officialListParams asks the official SDK for one page of listLimit users.
var officialListParams = sdkuser.ListParams{ListParams: sdk.ListParams{
	Limit: sdk.Int64(listLimit),
}}

func officialGet(c *sdkuser.Client) func(context.Context, string) (userView, error) {
	return func(ctx context.Context, id string) (userView, error) {
		u, err := c.Get(ctx, id)
		if err != nil {
			return userView{}, err
		}
		return viewOfSDK(u), nil
	}
}
