module github.com/clerkcompat/clerk/bench

go 1.24.0

require (
	github.com/clerk/clerk-sdk-go/v2 v2.4.2
	github.com/clerkcompat/clerk v0.0.0
	github.com/go-jose/go-jose/v4 v4.1.9
)

require (
	github.com/go-jose/go-jose/v3 v3.0.4 // indirect
	github.com/google/go-querystring v1.2.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	golang.org/x/crypto v0.19.0 // indirect
)

replace github.com/clerkcompat/clerk => ../
