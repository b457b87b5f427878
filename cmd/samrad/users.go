package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/samrad/samrad"
	"github.com/samrad/samrad/auth"
)

// cmdUsers bootstraps accounts: samrad users create --email … --alliance … --role ….
// The password is read from standard input (one line); with --generate a
// random one is made and printed once.
func cmdUsers(ctx context.Context, e env, stdin io.Reader, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("users: expected users create --email … --alliance … --role …")
	}
	f := newFlags(e, "users create")
	email := f.String("email", "", "e-mail address (the login)")
	name := f.String("name", "", "full name")
	slug := f.String("alliance", "", "alliance slug")
	role := f.String("role", string(samrad.RoleAdministrator), "administrator, secretariat, member_contact or reader")
	generate := f.Bool("generate", false, "generate a password and print it")
	if _, err := f.parse(args[1:]); err != nil {
		return err
	}
	var password string
	if *generate {
		password = auth.NewToken()[:24]
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return fmt.Errorf("users create: give the password on standard input, or use --generate")
		}
	}
	db, a, err := f.openAlliance(ctx, *slug)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, *email, *name, password, a.ID, samrad.Role(*role), auth.DefaultParams)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %d %s created with role %s in %s\n", u.ID, u.Email, *role, a.Slug)
	if *generate {
		fmt.Fprintf(e.stdout, "password: %s\n", password)
	}
	return nil
}
