/**
 * Word lists for demo people and companies. Emails use the reserved `.example` domains
 * (RFC 2606), so a demo database never mails a stranger either.
 */

// biome-ignore format: a word list reads better in rows
export const FIRST_NAMES = [
  'Aaliyah', 'Aaron', 'Abigail', 'Adrian', 'Aisha', 'Alejandro', 'Amara', 'Andre', 'Angela', 'Anjali',
  'Ben', 'Bianca', 'Brandon', 'Brianna', 'Caleb', 'Camila', 'Carlos', 'Carmen', 'Chen', 'Chidi',
  'Claire', 'Daniel', 'Dana', 'Darnell', 'Deepa', 'Diego', 'Elena', 'Elijah', 'Emily', 'Eric',
  'Fatima', 'Felix', 'Gabriela', 'Grace', 'Hannah', 'Hiro', 'Ibrahim', 'Imani', 'Isabel', 'Jamal',
  'James', 'Jasmine', 'Javier', 'Jenna', 'Jin', 'Jordan', 'Julia', 'Kavya', 'Keisha', 'Kevin',
  'Laura', 'Leila', 'Liam', 'Lucia', 'Marcus', 'Maria', 'Mateo', 'Megan', 'Mei', 'Michael',
  'Miguel', 'Nadia', 'Naomi', 'Nathan', 'Nia', 'Noah', 'Olivia', 'Omar', 'Priya', 'Rachel',
  'Rafael', 'Rahul', 'Renee', 'Ryan', 'Samantha', 'Sara', 'Sean', 'Sofia', 'Tanya', 'Thomas',
  'Tomás', 'Trevor', 'Valentina', 'Vanessa', 'Victor', 'Wei', 'Whitney', 'Xavier', 'Yasmin', 'Zoe',
] as const;

// biome-ignore format: a word list reads better in rows
export const LAST_NAMES = [
  'Abbott', 'Adeyemi', 'Alvarez', 'Anderson', 'Baker', 'Banerjee', 'Becker', 'Bennett', 'Brooks', 'Campbell',
  'Castillo', 'Chang', 'Chen', 'Clarke', 'Coleman', 'Cruz', 'Davis', 'Delgado', 'Diaz', 'Dubois',
  'Edwards', 'Evans', 'Fischer', 'Flores', 'Foster', 'Garcia', 'Gonzalez', 'Gupta', 'Hall', 'Harris',
  'Hayes', 'Hernandez', 'Hoffmann', 'Hughes', 'Ibrahim', 'Jackson', 'Jensen', 'Johnson', 'Kim', 'Kowalski',
  'Kumar', 'Lee', 'Lewis', 'Lin', 'Lopez', 'Martin', 'Martinez', 'Mendoza', 'Meyer', 'Miller',
  'Mitchell', 'Moore', 'Morales', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', "O'Brien", 'Okafor', 'Ortiz',
  'Patel', 'Perez', 'Phillips', 'Price', 'Ramirez', 'Reed', 'Reyes', 'Rivera', 'Robinson', 'Rossi',
  'Russo', 'Sanchez', 'Schmidt', 'Scott', 'Shah', 'Silva', 'Singh', 'Sullivan', 'Tanaka', 'Taylor',
  'Thompson', 'Torres', 'Turner', 'Valdez', 'Walker', 'Wang', 'Washington', 'Watson', 'Weber', 'White',
  'Williams', 'Wilson', 'Wong', 'Wright', 'Yamamoto', 'Young', 'Zhang', 'Zimmerman',
] as const;

// biome-ignore format: a word list reads better in rows
export const COMPANY_HEADS = [
  'Northwind', 'Bluefin', 'Cobalt', 'Harbor', 'Juniper', 'Keystone', 'Lakeshore', 'Meridian', 'Summit',
  'Redwood', 'Ironbridge', 'Silverline', 'Brightwater', 'Cedar', 'Granite', 'Pioneer', 'Beacon', 'Evergreen',
  'Copperleaf', 'Tidewater', 'Foxglove', 'Highland', 'Oakmont', 'Sterling', 'Bramble', 'Crescent', 'Falcon',
  'Lighthouse', 'Maple', 'Orchard', 'Prairie', 'Quarry', 'Riverbend', 'Sandstone', 'Trailhead', 'Union',
  'Vantage', 'Westfield', 'Arcadia', 'Blackstone', 'Clearwater', 'Driftwood', 'Elmwood', 'Fairview',
  'Goldcrest', 'Hillcrest', 'Ivory', 'Jetstream', 'Kestrel', 'Larkspur',
] as const;

// biome-ignore format: a word list reads better in rows
export const COMPANY_TAILS = [
  'Logistics', 'Analytics', 'Health', 'Foods', 'Labs', 'Manufacturing', 'Partners', 'Financial', 'Freight',
  'Software', 'Dental Group', 'Builders', 'Energy', 'Insurance', 'Retail', 'Systems', 'Biotech', 'Media',
  'Hospitality', 'Outfitters', 'Properties', 'Robotics', 'Supply Co.', 'Payments', 'Clinics',
] as const;

// biome-ignore format: a word list reads better in rows
export const STREETS = [
  'Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Park Ave', 'Pine St', 'Elm St', 'Washington Blvd',
  'Lakeview Dr', 'Hillside Rd', 'Sunset Blvd', 'Willow Way', 'Chestnut St', 'Highland Ave', 'River Rd',
] as const;

/** Lower-case letters and digits only, for e-mail addresses and domains. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
