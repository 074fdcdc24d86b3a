import { HStack, Link } from "@chakra-ui/react";
import { NavLink } from "react-router";
import { NAV_ITEMS } from "../navigation";

export function NavMenu() {
  return (
    <nav aria-label="Domino">
      <HStack as="ul" listStyleType="none" gap="1" px="4" borderBottomWidth="1px">
        {NAV_ITEMS.map((item) => (
          <li key={item.path}>
            <Link
              asChild
              display="inline-block"
              px="3"
              py="2"
              mb="-1px"
              textStyle="sm"
              fontWeight="medium"
              color="fg.muted"
              borderBottomWidth="2px"
              borderColor="transparent"
              _hover={{ color: "fg", textDecoration: "none" }}
              // NavLink marks the active entry with aria-current="page".
              css={{ "&[aria-current=page]": { color: "brand.fg", borderColor: "brand.solid" } }}
            >
              <NavLink to={item.path} end={item.path === "/"}>
                {item.label}
              </NavLink>
            </Link>
          </li>
        ))}
      </HStack>
    </nav>
  );
}
